package dev.dhcpcluster.bootstrap.e2e;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Busybox udhcpc on a lab host, with the tests' own script, driven by signals to its PID. */
public final class Udhcpc {

    private final NetworkLab lab;
    private final LabHost host;
    private final String name;
    private final LeaseScript script;
    private LabProcess process;

    private Udhcpc(NetworkLab lab, LabHost host, String name) {
        this.lab = lab;
        this.host = host;
        this.name = name;
        this.script = LeaseScript.forUdhcpc(lab.workDirectory().resolve(name));
    }

    /** Prepares (does not start) a udhcpc named {@code name} for {@code host}'s interface. */
    public static Udhcpc on(NetworkLab lab, LabHost host, String name) {
        return new Udhcpc(lab, host, name);
    }

    /**
     * Starts udhcpc in the foreground: 5 discovers 2 s apart, then a pause of 2 s before it tries
     * again; it keeps running after it is bound, to renew.
     */
    public LabProcess start() {
        process = lab.start(name, host, List.of(Tools.require("udhcpc"), "-f", "-i", host.interfaceName(),
                "-s", script.path().toString(), "-t", "5", "-T", "2", "-A", "2"));
        return process;
    }

    /** Asks udhcpc to renew its lease now (SIGUSR1). */
    public void renew() {
        process().signal("USR1");
    }

    /** Asks udhcpc to release its lease and deconfigure the interface (SIGUSR2). */
    public void release() {
        process().signal("USR2");
    }

    /**
     * Waits (bounded) for the first script event after the first {@code skip} that satisfies
     * {@code condition}; on timeout fails with the events and the output of every lab process.
     */
    public LeaseEvent await(String description, int skip, Predicate<LeaseEvent> condition, Duration timeout) {
        return script.await(name + " " + description, skip, condition, timeout, lab::describeProcesses);
    }

    /** Returns the events the script recorded. */
    public LeaseScript script() {
        return script;
    }

    /** Returns the running process (after {@link #start()}). */
    public LabProcess process() {
        if (process == null) {
            throw new IllegalStateException(name + " has not been started");
        }
        return process;
    }
}
