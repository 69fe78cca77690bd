package dev.dhcpcluster.bootstrap.e2e;

import java.util.List;

/** Busybox udhcpc on a lab host, with the tests' own script, driven by signals to its PID. */
public final class Udhcpc extends RealClient {

    /** Prepares (does not start) a udhcpc named {@code name} for {@code host}'s interface. */
    public Udhcpc(NetworkLab lab, LabHost host, String name) {
        super(lab, host, name, LeaseScript::forUdhcpc);
    }

    /**
     * Runs udhcpc in the foreground: 5 discovers 2 s apart, then a pause of 2 s before it tries
     * again; it keeps running after it is bound, to renew.
     */
    @Override
    protected List<String> command() {
        return List.of(Tools.require("udhcpc"), "-f", "-i", host().interfaceName(),
                "-s", script().path().toString(), "-t", "5", "-T", "2", "-A", "2");
    }

    /** Asks udhcpc to renew its lease now (SIGUSR1). */
    public void renew() {
        process().signal("USR1");
    }

    /** Asks udhcpc to release its lease and deconfigure the interface (SIGUSR2). */
    public void release() {
        process().signal("USR2");
    }
}
