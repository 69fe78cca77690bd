package dev.dhcpcluster.bootstrap.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * ISC dhclient on a lab host, isolated from the machine's own DHCP client state: its own config,
 * script, lease file and pid file, all in the lab's work directory.
 */
public final class Dhclient {

    private final NetworkLab lab;
    private final LabHost host;
    private final String name;
    private final Path config;
    private final Path leases;
    private final Path pidFile;
    private final LeaseScript script;
    private LabProcess process;

    private Dhclient(NetworkLab lab, LabHost host, String name, Path directory) {
        this.lab = lab;
        this.host = host;
        this.name = name;
        this.config = directory.resolve("dhclient.conf");
        this.leases = directory.resolve("dhclient.leases");
        this.pidFile = directory.resolve("dhclient.pid");
        this.script = LeaseScript.forDhclient(directory);
        try {
            // Our own config, so the machine's dhclient.conf cannot change what the test sends.
            Files.writeString(config, String.join("\n",
                    "timeout 30;",
                    "initial-interval 1;",
                    "request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers;",
                    ""), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }

    /** Prepares (does not start) a dhclient named {@code name} for {@code host}'s interface. */
    public static Dhclient on(NetworkLab lab, LabHost host, String name) {
        return new Dhclient(lab, host, name, lab.workDirectory().resolve(name));
    }

    /**
     * Starts dhclient in the foreground ({@code -d}, so the PID the lab knows is dhclient's own),
     * trying once ({@code -1}): it exits with an error if no lease comes within its timeout, and
     * otherwise stays to renew the lease.
     */
    public LabProcess start() {
        process = lab.start(name, host, command("-d", "-1"));
        return process;
    }

    /**
     * Runs {@code dhclient -r} with the same files: it stops the running dhclient (found through the
     * pid file), sends DHCPRELEASE to the server and calls the script with {@code RELEASE}.
     */
    public Command.Result release(Duration timeout) {
        return host.run(timeout, command("-r").toArray(String[]::new));
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

    private List<String> command(String... mode) {
        List<String> argv = new ArrayList<>(List.of(Tools.require("dhclient")));
        argv.addAll(List.of(mode));
        argv.addAll(List.of("-v", "-cf", config.toString(), "-sf", script.path().toString(),
                "-lf", leases.toString(), "-pf", pidFile.toString(), host.interfaceName()));
        return argv;
    }
}
