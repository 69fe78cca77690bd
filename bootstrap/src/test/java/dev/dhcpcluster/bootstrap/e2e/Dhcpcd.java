package dev.dhcpcluster.bootstrap.e2e;

import java.nio.file.Path;
import java.util.List;

/**
 * dhcpcd on a lab host, isolated from the machine's own dhcpcd: it runs in the private mount
 * namespace {@code ip netns exec} gives it, with a fresh tmpfs on /run (its pid file and control
 * sockets) and the lab's directory bound over /var/lib/dhcpcd (its leases and DUID), and with the
 * tests' own config file and hook script. It is driven by signals to its PID.
 */
public final class Dhcpcd extends RealClient {

    private static final String STATE_DIRECTORY = "/var/lib/dhcpcd";

    private final Path config;
    private final Path state;

    /** Prepares (does not start) a dhcpcd named {@code name} for {@code host}'s interface. */
    public Dhcpcd(NetworkLab lab, LabHost host, String name) {
        super(lab, host, name, LeaseScript::forDhcpcd);
        this.state = createDirectory("state");
        // IPv4 only, the options the tests check, and no ARP probe of the offered address
        // (it would only slow the test down: the lab's link has no one else on it).
        this.config = writeConfig("dhcpcd.conf",
                "option subnet_mask, routers, domain_name_servers, domain_name",
                "noipv4ll",
                "noarp");
    }

    /**
     * Runs dhcpcd in the foreground, IPv4 only. A shell sets up the private mounts and then replaces
     * itself with dhcpcd, so the PID the lab knows is dhcpcd's.
     */
    @Override
    protected List<String> command() {
        String dhcpcd = Tools.require("dhcpcd");
        String setup = String.join(" && ",
                "[ -d " + STATE_DIRECTORY + " ] || { echo '" + STATE_DIRECTORY + " does not exist'; exit 1; }",
                "mount -t tmpfs tmpfs /run",
                "mount --bind '" + state + "' " + STATE_DIRECTORY,
                "exec " + dhcpcd + " -4 -B -d -f '" + config + "' -c '" + script().path() + "' "
                        + host().interfaceName());
        return List.of("/bin/sh", "-c", setup);
    }

    /** Asks dhcpcd to renew its lease now (SIGUSR1). */
    public void renew() {
        process().signal("USR1");
    }

    /** Asks dhcpcd to release its lease, deconfigure the interface and exit (SIGALRM, what {@code dhcpcd -k} sends). */
    public void release() {
        process().signal("ALRM");
    }
}
