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
import java.util.Objects;
import java.util.Optional;

/**
 * The JSON config file of a node under test, built from the few things an end-to-end test varies:
 * the interface the transport serves (by UDP, or by raw frames with {@link #withPcapTransport()}), lease times, global options and subnets,
 * and for a cluster member its id and {@code cluster} section ({@link #asClusterMember}). Immutable; each
 * {@code with...} returns a changed copy.
 *
 * <p>The node keeps its leases where a node does by default, in SQLite in its data directory,
 * which {@link #toJson(Path)} is given (a directory inside the lab's, so the lab removes it).
 */
public final class NodeConfigFile {

    /**
     * A subnet with one pool, a router option, the relay addresses that select it, and the
     * interface whose directly attached clients it serves ({@code ""} for none: then the interface
     * whose address lies inside it).
     */
    public record Subnet(int id, String cidr, String poolFirst, String poolLast, String router,
            List<String> relayAddresses, String interfaceName) {

        /** Validates that every address lies in the lab's block. */
        public Subnet {
            LabAddresses.requireCidr(cidr);
            LabAddresses.requireAddress(poolFirst);
            LabAddresses.requireAddress(poolLast);
            LabAddresses.requireAddress(router);
            relayAddresses = List.copyOf(relayAddresses);
            relayAddresses.forEach(LabAddresses::requireAddress);
            Objects.requireNonNull(interfaceName, "interfaceName");
        }

        /** A subnet that names no interface. */
        public Subnet(int id, String cidr, String poolFirst, String poolLast, String router,
                List<String> relayAddresses) {
            this(id, cidr, poolFirst, poolLast, router, relayAddresses, "");
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

    /**
     * The {@code cluster} section of a member: the cluster's name, where the member listens for its
     * peers, the shared secret's file, and the other members by node id.
     *
     * @param name the cluster's name, the same on every member
     * @param listen {@code address:port} on the lab's bridge
     * @param secretFile the secret's file (mode 0600)
     * @param peers the other members' {@code address:port} by node id
     */
    public record Cluster(String name, String listen, Path secretFile, Map<Integer, String> peers) {

        /** Validates that every address lies in the lab's block. */
        public Cluster {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(secretFile, "secretFile");
            LabAddresses.requireAddress(listen.substring(0, listen.indexOf(':')));
            peers = Map.copyOf(peers);
            peers.values().forEach(peer -> LabAddresses.requireAddress(peer.substring(0, peer.indexOf(':'))));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int nodeId;
    private final String interfaceName;
    /** transport.interfaces when the transport is {@code pcap}: the interface served, or those of {@link #withPcapTransport(String...)}. */
    private final List<String> pcapInterfaces;
    /** transport.type: {@code udp}, or {@code pcap} serving the one interface through raw frames. */
    private final String transportType;
    private final int validLifetime;
    private final int renewTimer;
    private final int rebindTimer;
    private final Map<String, String> options;
    private final List<Subnet> subnets;
    /** Dhcp4.offer-lifetime in seconds, or 0 to leave it out (the node's default). */
    private final int offerLifetime;
    /** The cluster section, or null for a node alone. */
    private final Cluster cluster;
    /** The relay section of a node that runs a relay in its process, or null for none. */
    private final RelayConfigFile relay;

    private NodeConfigFile(int nodeId, String interfaceName, List<String> pcapInterfaces, String transportType,
            int validLifetime, int renewTimer, int rebindTimer, Map<String, String> options, List<Subnet> subnets,
            int offerLifetime, Cluster cluster, RelayConfigFile relay) {
        this.nodeId = nodeId;
        this.interfaceName = interfaceName;
        this.pcapInterfaces = List.copyOf(pcapInterfaces);
        this.transportType = transportType;
        this.validLifetime = validLifetime;
        this.renewTimer = renewTimer;
        this.rebindTimer = rebindTimer;
        this.options = Map.copyOf(options);
        this.subnets = List.copyOf(subnets);
        this.offerLifetime = offerLifetime;
        this.cluster = cluster;
        this.relay = relay;
    }

    /** A node with id 1 serving {@code interfaceName}, Kea's default lease times, no options or subnets. */
    public static NodeConfigFile servingInterface(String interfaceName) {
        return new NodeConfigFile(1, interfaceName, List.of(interfaceName), "udp", 3600, 1800, 3150, Map.of(), List.of(), 0,
                null, null);
    }

    /** Returns a copy whose node serves its interface with the raw-frame ({@code pcap}) transport. */
    public NodeConfigFile withPcapTransport() {
        return new NodeConfigFile(nodeId, interfaceName, pcapInterfaces, "pcap", validLifetime, renewTimer, rebindTimer, options, subnets,
                offerLifetime, cluster, relay);
    }

    /**
     * Returns a copy whose node serves the directly attached clients of all these interfaces with
     * the raw-frame ({@code pcap}) transport, each request carrying the interface it came in on.
     */
    public NodeConfigFile withPcapTransport(String... interfaces) {
        if (interfaces.length == 0) {
            throw new IllegalArgumentException("the pcap transport serves at least one interface");
        }
        return new NodeConfigFile(nodeId, interfaceName, List.of(interfaces), "pcap", validLifetime, renewTimer,
                rebindTimer, options, subnets, offerLifetime, cluster, relay);
    }

    /** Returns a copy with these lease times in seconds. */
    public NodeConfigFile withLeaseTimes(int valid, int renew, int rebind) {
        return new NodeConfigFile(nodeId, interfaceName, pcapInterfaces, transportType, valid, renew, rebind, options, subnets,
                offerLifetime, cluster, relay);
    }

    /** Returns a copy with a global option (Kea's option name and data syntax). */
    public NodeConfigFile withOption(String name, String data) {
        Map<String, String> changed = new LinkedHashMap<>(options);
        changed.put(name, data);
        return new NodeConfigFile(nodeId, interfaceName, pcapInterfaces, transportType, validLifetime, renewTimer, rebindTimer, changed, subnets,
                offerLifetime, cluster, relay);
    }

    /** Returns a copy with one more subnet. */
    public NodeConfigFile withSubnet(Subnet subnet) {
        List<Subnet> changed = new ArrayList<>(subnets);
        changed.add(subnet);
        return new NodeConfigFile(nodeId, interfaceName, pcapInterfaces, transportType, validLifetime, renewTimer, rebindTimer, options, changed,
                offerLifetime, cluster, relay);
    }

    /**
     * Returns a copy in which an offered address is held for {@code seconds} (Dhcp4.offer-lifetime)
     * before it is free for others.
     */
    public NodeConfigFile withOfferLifetime(int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("offer-lifetime must be at least 1 s: " + seconds);
        }
        return new NodeConfigFile(nodeId, interfaceName, pcapInterfaces, transportType, validLifetime, renewTimer, rebindTimer, options, subnets,
                seconds, cluster, relay);
    }

    /** Returns a copy for node {@code id}, a member of {@code cluster}. */
    public NodeConfigFile asClusterMember(int id, Cluster member) {
        Objects.requireNonNull(member, "member");
        return new NodeConfigFile(id, interfaceName, pcapInterfaces, transportType, validLifetime, renewTimer, rebindTimer,
                options, subnets, offerLifetime, member, relay);
    }

    /**
     * Returns a copy whose node runs {@code relay} in its own process: the file's top-level
     * {@code relay} section ({@link RelayConfigFile#toNodeSection()}), which needs the pcap
     * transport ({@link #withPcapTransport()}).
     */
    public NodeConfigFile withRelay(RelayConfigFile relay) {
        Objects.requireNonNull(relay, "relay");
        return new NodeConfigFile(nodeId, interfaceName, pcapInterfaces, transportType, validLifetime, renewTimer,
                rebindTimer, options, subnets, offerLifetime, cluster, relay);
    }

    /** The relay section of this node's file, if it runs a relay in its process. */
    public Optional<RelayConfigFile> relay() {
        return Optional.ofNullable(relay);
    }

    /** Returns the config file text, with {@code dataDirectory} as the node's data directory. */
    public String toJson(Path dataDirectory) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("node").put("id", nodeId).put("data-directory", dataDirectory.toString());
        ObjectNode transport = root.putObject("transport");
        transport.put("type", transportType);
        transport.put("listen-address", "0.0.0.0");
        transport.put("listen-port", 67);
        if (transportType.equals("pcap")) {
            pcapInterfaces.forEach(transport.putArray("interfaces")::add);
        } else {
            transport.put("interface", interfaceName);
        }
        transport.put("client-port", 68);
        transport.put("relay-port", 67);
        if (cluster != null) {
            ObjectNode section = root.putObject("cluster");
            section.put("name", cluster.name()).put("listen", cluster.listen())
                    .put("secret-file", cluster.secretFile().toString());
            ArrayNode peers = section.putArray("peers");
            cluster.peers().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(peer -> peers.addObject().put("id", peer.getKey()).put("address", peer.getValue()));
        }
        if (relay != null) {
            root.set("relay", relay.toNodeSection());
        }
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
            if (!subnet.interfaceName().isEmpty()) {
                node.put("interface", subnet.interfaceName());
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a node config", e);
        }
    }
}
