package dev.dhcpcluster.bootstrap.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * Busybox udhcpc on a lab host, with the tests' own script, driven by signals to its PID.
 *
 * <p>udhcpc keeps no lease file and has no INIT-REBOOT state: it always starts by broadcasting a
 * DISCOVER. What it can remember is an address given with {@code -r}, which it asks for in that
 * DISCOVER (option 50); {@link #restartRequesting} is its restart.
 */
public final class Udhcpc extends RealClient {

    private String requestedAddress;

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
        List<String> argv = new ArrayList<>(List.of(Tools.require("udhcpc"), "-f", "-i", host().interfaceName(),
                "-s", script().path().toString(), "-t", "5", "-T", "2", "-A", "2"));
        if (requestedAddress != null) {
            argv.addAll(List.of("-r", requestedAddress));
        }
        return argv;
    }

    /**
     * Stops udhcpc by its PID and starts it again asking for {@code address} ({@code -r}), the
     * nearest udhcpc comes to a client that remembers its lease across a restart.
     */
    public LabProcess restartRequesting(String address) {
        requestedAddress = LabAddresses.requireAddress(address);
        return restart();
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
