package dev.dhcpcluster.bootstrap.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One simulated machine of a {@link NetworkLab}: a network namespace with a loopback interface and
 * one Ethernet-like interface ({@code eth0}) plugged into the lab's bridge. A host plugged into a
 * further link ({@link NetworkLab#plug}) is seen through that interface by another {@code LabHost}
 * for the same namespace.
 */
public final class LabHost {

    private static final Pattern INET = Pattern.compile("\\binet (\\d{1,3}(?:\\.\\d{1,3}){3}/\\d{1,2})");
    private static final Pattern ETHER = Pattern.compile("\\blink/ether ((?:[0-9a-f]{2}:){5}[0-9a-f]{2})");
    private static final Pattern MAC = Pattern.compile("(?:[0-9a-f]{2}:){5}[0-9a-f]{2}");

    private final String namespace;
    private final String interfaceName;
    private final String ip;

    LabHost(String namespace, String interfaceName, String ip) {
        this.namespace = namespace;
        this.interfaceName = interfaceName;
        this.ip = ip;
    }

    /** Returns the name of this host's network namespace. */
    public String namespace() {
        return namespace;
    }

    /** Returns the name of the interface attached to a bridge of the lab (inside the namespace). */
    public String interfaceName() {
        return interfaceName;
    }

    /** Adds an address (from 198.18.0.0/15) to this host's interface. */
    public void addAddress(String cidr) {
        Command.check(ip, "-n", namespace, "addr", "add", LabAddresses.requireCidr(cidr), "dev", interfaceName);
    }

    /** Routes {@code destinationCidr} through the gateway {@code via} (both inside 198.18.0.0/15). */
    public void addRoute(String destinationCidr, String via) {
        Command.check(ip, "-n", namespace, "route", "add", LabAddresses.requireCidr(destinationCidr),
                "via", LabAddresses.requireAddress(via));
    }

    /**
     * Makes {@code via} (inside 198.18.0.0/15, on this host's link) this host's default gateway,
     * replacing any other. The route is "onlink", so that it can be set before the interface has an
     * address, as a DHCP client's host has none; the kernel drops it when the interface's last
     * address goes, so a client whose script flushes its addresses needs it set again afterwards.
     * The namespace's only links are the lab's, so nothing can leave the lab through it.
     */
    public void setDefaultRoute(String via) {
        Command.check(ip, "-n", namespace, "route", "replace", "default", "via", LabAddresses.requireAddress(via),
                "dev", interfaceName, "onlink");
    }

    /** Makes this host a router: it forwards IPv4 packets between its interfaces (its namespace's own setting). */
    public void enableForwarding() {
        Command.check(inNamespace(List.of(Tools.require("sysctl"), "-q", "-w", "net.ipv4.ip_forward=1"))
                .toArray(String[]::new));
    }

    /** Returns the IPv4 addresses currently on this host's interface, as {@code address/prefix}. */
    public List<String> ipv4Addresses() {
        String output = Command.check(ip, "-n", namespace, "-4", "-o", "addr", "show", "dev", interfaceName).output();
        List<String> addresses = new ArrayList<>();
        Matcher matcher = INET.matcher(output);
        while (matcher.find()) {
            addresses.add(matcher.group(1));
        }
        return addresses;
    }

    /** Returns the MAC address of this host's interface, lower-case {@code aa:bb:cc:dd:ee:ff}. */
    public String macAddress() {
        String output = Command.check(ip, "-n", namespace, "-o", "link", "show", "dev", interfaceName).output();
        Matcher matcher = ETHER.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException(this + " has no Ethernet address: " + output);
        }
        return matcher.group(1);
    }

    /**
     * Gives this host's interface the MAC address {@code mac} (lower-case; a locally administered
     * one, {@code 02:...}, belongs to no real device), so that a test can choose how the node
     * hashes the host's DHCP client (RFC 3074 buckets).
     */
    public void setMacAddress(String mac) {
        if (!MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("not a lower-case MAC address: " + mac);
        }
        Command.check(ip, "-n", namespace, "link", "set", "dev", interfaceName, "address", mac);
    }

    /**
     * Makes this host send every unicast frame for {@code address} to {@code mac}, for good: a
     * permanent neighbour entry, which ARP does not change. Pointing it at a MAC address no host has
     * cuts this host's unicasts to {@code address} off while broadcasts still reach everyone.
     */
    public void pinNeighbor(String address, String mac) {
        if (!MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("not a lower-case MAC address: " + mac);
        }
        Command.check(ip, "-n", namespace, "neigh", "replace", LabAddresses.requireAddress(address),
                "lladdr", mac, "dev", interfaceName, "nud", "permanent");
    }

    /** Returns {@code argv} prefixed so that it runs inside this host's namespace. */
    public List<String> inNamespace(List<String> argv) {
        List<String> command = new ArrayList<>(List.of(ip, "netns", "exec", namespace));
        command.addAll(argv);
        return command;
    }

    /** Runs a short command inside this host's namespace, bounded by {@code timeout}. */
    public Command.Result run(Duration timeout, String... argv) {
        return Command.run(timeout, inNamespace(List.of(argv)));
    }

    @Override
    public String toString() {
        return namespace + ":" + interfaceName;
    }
}
