package dev.dhcpcluster.bootstrap.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON config file of a node under test, built from the few things an end-to-end test varies:
 * the interface the UDP transport serves, lease times, global options and subnets. Immutable; each
 * {@code with...} returns a changed copy.
 *
 * <p>The node keeps its leases where a node does by default, in SQLite in its data directory,
 * which {@link #toJson(Path)} is given (a directory inside the lab's, so the lab removes it).
 */
public final class NodeConfigFile {

    /** A subnet with one pool, a router option, and the relay addresses that select it. */
    public record Subnet(int id, String cidr, String poolFirst, String poolLast, String router,
            List<String> relayAddresses) {

        /** Validates that every address lies in the lab's block. */
        public Subnet {
            LabAddresses.requireCidr(cidr);
            LabAddresses.requireAddress(poolFirst);
            LabAddresses.requireAddress(poolLast);
            LabAddresses.requireAddress(router);
            relayAddresses = List.copyOf(relayAddresses);
            relayAddresses.forEach(LabAddresses::requireAddress);
        }

        /** Returns the pool as Kea writes it, {@code first - last}. */
        public String pool() {
            return poolFirst + " - " + poolLast;
        }

        /** Returns whether {@code address} lies in this subnet's pool. */
        public boolean poolContains(String address) {
            return LabAddresses.inRange(address, poolFirst, poolLast);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int nodeId;
    private final String interfaceName;
    private final int validLifetime;
    private final int renewTimer;
    private final int rebindTimer;
    private final Map<String, String> options;
    private final List<Subnet> subnets;
    /** Dhcp4.offer-lifetime in seconds, or 0 to leave it out (the node's default). */
    private final int offerLifetime;

    private NodeConfigFile(int nodeId, String interfaceName, int validLifetime, int renewTimer, int rebindTimer,
            Map<String, String> options, List<Subnet> subnets) {
        this(nodeId, interfaceName, validLifetime, renewTimer, rebindTimer, options, subnets, 0);
    }

    private NodeConfigFile(int nodeId, String interfaceName, int validLifetime, int renewTimer, int rebindTimer,
            Map<String, String> options, List<Subnet> subnets, int offerLifetime) {
        this.nodeId = nodeId;
        this.interfaceName = interfaceName;
        this.validLifetime = validLifetime;
        this.renewTimer = renewTimer;
        this.rebindTimer = rebindTimer;
        this.options = Map.copyOf(options);
        this.subnets = List.copyOf(subnets);
        this.offerLifetime = offerLifetime;
    }

    /** A node with id 1 serving {@code interfaceName}, Kea's default lease times, no options or subnets. */
    public static NodeConfigFile servingInterface(String interfaceName) {
        return new NodeConfigFile(1, interfaceName, 3600, 1800, 3150, Map.of(), List.of());
    }

    /** Returns a copy with these lease times in seconds. */
    public NodeConfigFile withLeaseTimes(int valid, int renew, int rebind) {
        return new NodeConfigFile(nodeId, interfaceName, valid, renew, rebind, options, subnets,
                offerLifetime);
    }

    /** Returns a copy with a global option (Kea's option name and data syntax). */
    public NodeConfigFile withOption(String name, String data) {
        Map<String, String> changed = new LinkedHashMap<>(options);
        changed.put(name, data);
        return new NodeConfigFile(nodeId, interfaceName, validLifetime, renewTimer, rebindTimer, changed, subnets,
                offerLifetime);
    }

    /** Returns a copy with one more subnet. */
    public NodeConfigFile withSubnet(Subnet subnet) {
        List<Subnet> changed = new ArrayList<>(subnets);
        changed.add(subnet);
        return new NodeConfigFile(nodeId, interfaceName, validLifetime, renewTimer, rebindTimer, options, changed,
                offerLifetime);
    }

    /**
     * Returns a copy in which an offered address is held for {@code seconds} (Dhcp4.offer-lifetime)
     * before it is free for others.
     */
    public NodeConfigFile withOfferLifetime(int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("offer-lifetime must be at least 1 s: " + seconds);
        }
        return new NodeConfigFile(nodeId, interfaceName, validLifetime, renewTimer, rebindTimer, options, subnets,
                seconds);
    }

    /** Returns the config file text, with {@code dataDirectory} as the node's data directory. */
    public String toJson(Path dataDirectory) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("node").put("id", nodeId).put("data-directory", dataDirectory.toString());
        ObjectNode transport = root.putObject("transport");
        transport.put("type", "udp");
        transport.put("listen-address", "0.0.0.0");
        transport.put("listen-port", 67);
        transport.put("interface", interfaceName);
        transport.put("client-port", 68);
        transport.put("relay-port", 67);
        ObjectNode dhcp4 = root.putObject("Dhcp4");
        dhcp4.put("valid-lifetime", validLifetime);
        dhcp4.put("renew-timer", renewTimer);
        dhcp4.put("rebind-timer", rebindTimer);
        if (offerLifetime > 0) {
            dhcp4.put("offer-lifetime", offerLifetime);
        }
        ArrayNode globalOptions = dhcp4.putArray("option-data");
        options.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(option -> globalOptions.addObject().put("name", option.getKey()).put("data", option.getValue()));
        ArrayNode subnetArray = dhcp4.putArray("subnet4");
        for (Subnet subnet : subnets) {
            ObjectNode node = subnetArray.addObject();
            node.put("id", subnet.id());
            node.put("subnet", subnet.cidr());
            node.putArray("pools").addObject().put("pool", subnet.pool());
            node.putArray("option-data").addObject().put("name", "routers").put("data", subnet.router());
            ArrayNode relays = node.putObject("relay").putArray("ip-addresses");
            subnet.relayAddresses().forEach(relays::add);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a node config", e);
        }
    }
}
