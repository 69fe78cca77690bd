package dev.dhcpcluster.bootstrap.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * dhcpcd on a lab host, isolated from the machine's own dhcpcd: it runs in the private mount
 * namespace {@code ip netns exec} gives it, with a fresh tmpfs on /run (its pid file and control
 * sockets) and the lab's directory bound over /var/lib/dhcpcd (its leases and DUID), and with the
 * tests' own config file and hook script. It is driven by signals to its PID.
 */
public final class Dhcpcd {

    private static final String STATE_DIRECTORY = "/var/lib/dhcpcd";

    private final NetworkLab lab;
    private final LabHost host;
    private final String name;
    private final Path config;
    private final Path state;
    private final LeaseScript script;
    private LabProcess process;

    private Dhcpcd(NetworkLab lab, LabHost host, String name, Path directory) {
        this.lab = lab;
        this.host = host;
        this.name = name;
        this.config = directory.resolve("dhcpcd.conf");
        this.state = directory.resolve("state");
        this.script = LeaseScript.forDhcpcd(directory);
        try {
            Files.createDirectories(state);
            // IPv4 only, the options the tests check, and no ARP probe of the offered address
            // (it would only slow the test down: the lab's link has no one else on it).
            Files.writeString(config, String.join("\n",
                    "option subnet_mask, routers, domain_name_servers, domain_name",
                    "noipv4ll",
                    "noarp",
                    ""), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + directory, e);
        }
    }

    /** Prepares (does not start) a dhcpcd named {@code name} for {@code host}'s interface. */
    public static Dhcpcd on(NetworkLab lab, LabHost host, String name) {
        return new Dhcpcd(lab, host, name, lab.workDirectory().resolve(name));
    }

    /**
     * Starts dhcpcd in the foreground, IPv4 only. A shell sets up the private mounts and then
     * replaces itself with dhcpcd, so the PID the lab knows is dhcpcd's.
     */
    public LabProcess start() {
        String dhcpcd = Tools.require("dhcpcd");
        String setup = String.join(" && ",
                "[ -d " + STATE_DIRECTORY + " ] || { echo '" + STATE_DIRECTORY + " does not exist'; exit 1; }",
                "mount -t tmpfs tmpfs /run",
                "mount --bind '" + state + "' " + STATE_DIRECTORY,
                "exec " + dhcpcd + " -4 -B -d -f '" + config + "' -c '" + script.path() + "' " + host.interfaceName());
        process = lab.start(name, host, List.of("/bin/sh", "-c", setup));
        return process;
    }

    /** Asks dhcpcd to renew its lease now (SIGUSR1). */
    public void renew() {
        process().signal("USR1");
    }

    /** Asks dhcpcd to release its lease, deconfigure the interface and exit (SIGALRM, what {@code dhcpcd -k} sends). */
    public void release() {
        process().signal("ALRM");
    }

    /**
     * Waits (bounded) for the first script event after the first {@code skip} that satisfies
     * {@code condition}; on timeout fails with the events and the output of every lab process.
     */
    public LeaseEvent await(String description, int skip, Predicate<LeaseEvent> condition, Duration timeout) {
        return script.await(name + " " + description, skip, condition, timeout, lab::describeProcesses);
    }

    /** Returns the events the hook script recorded. */
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
