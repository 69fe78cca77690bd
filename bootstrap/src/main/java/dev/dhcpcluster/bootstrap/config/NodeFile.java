package dev.dhcpcluster.bootstrap.config;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node configuration file exactly as written: every value still raw (strings for addresses,
 * boxed numbers so that "absent" stays visible). The {@code transport} and {@code lease-store}
 * sections are plain JSON objects: their fields belong to the adapter the section's {@code type}
 * names, which reads them itself. The {@code relay} section is kept as written too: the relay
 * that runs in the node's process reads it ({@link CompanionSection}). {@link ConfigResolver}
 * validates the rest and turns it into a {@link NodeConfig}. The JSON names are Kea's wherever the
 * concept is the same.
 */
record NodeFile(
        @JsonProperty("node") Node node,
        @JsonProperty("transport") Map<String, Object> transport,
        @JsonProperty("lease-store") Map<String, Object> leaseStore,
        @JsonProperty("admin") Admin admin,
        @JsonProperty("cluster") Cluster cluster,
        @JsonProperty("relay") JsonNode relay,
        @JsonProperty("Dhcp4") Dhcp4 dhcp4) {

    /** The file as read before it had an {@code "admin"} section. */
    NodeFile(Node node, Map<String, Object> transport, Map<String, Object> leaseStore, Dhcp4 dhcp4) {
        this(node, transport, leaseStore, null, null, null, dhcp4);
    }

    /** The file as read before it had a {@code "cluster"} section. */
    NodeFile(Node node, Map<String, Object> transport, Map<String, Object> leaseStore, Admin admin, Dhcp4 dhcp4) {
        this(node, transport, leaseStore, admin, null, null, dhcp4);
    }

    /** {@code "node"}: who this node is, where it keeps its files, and how it queues DHCP datagrams. */
    record Node(
            @JsonProperty("id") Integer id,
            @JsonProperty("data-directory") String dataDirectory,
            @JsonProperty("dhcp-queue") DhcpQueue dhcpQueue) {

        /** The section as read before it had {@code "dhcp-queue"}. */
        Node(Integer id, String dataDirectory) {
            this(id, dataDirectory, null);
        }
    }

    /** {@code "node.dhcp-queue"}: the event loop's DHCP queue, per class of datagram. */
    record DhcpQueue(@JsonProperty("capacity") Integer capacity, @JsonProperty("max-age-ms") Long maxAgeMs) {
    }

    /** {@code "admin"}: the node's admin HTTP endpoint (status, leases, metrics). */
    record Admin(
            @JsonProperty("enabled") Boolean enabled,
            @JsonProperty("listen") String listen,
            @JsonProperty("token-file") String tokenFile) {
    }

    /**
     * {@code "cluster"}: the other members, how to prove membership, the election's timers, how the
     * leader deals address blocks, and the
     * peer transport ({@code transport}, {@code "tcp"} when absent). Every other field is the
     * transport's own, kept as written for its provider to read.
     */
    record Cluster(
            @JsonProperty("name") String name,
            @JsonProperty("transport") String transport,
            @JsonProperty("secret-file") String secretFile,
            @JsonProperty("peers") List<ClusterPeer> peers,
            @JsonProperty("timers") ClusterTimers timers,
            @JsonProperty("address-blocks") ClusterAddressBlocks addressBlocks,
            @JsonAnySetter Map<String, Object> transportSettings) {

        // Jackson hands a creator's any-setter a HashMap, which loses the file's order: sorted by
        // name instead, so that messages and the restart list come out the same every time.
        Cluster {
            transportSettings = transportSettings == null ? Map.of()
                    : Collections.unmodifiableMap(new TreeMap<>(transportSettings));
        }
    }

    /** One entry of {@code "cluster.peers"}. */
    record ClusterPeer(@JsonProperty("id") Integer id, @JsonProperty("address") String address) {
    }

    /** {@code "cluster.timers"}, in milliseconds. */
    record ClusterTimers(
            @JsonProperty("heartbeat-interval-ms") Long heartbeatIntervalMs,
            @JsonProperty("failure-timeout-ms") Long failureTimeoutMs,
            @JsonProperty("answer-timeout-ms") Long answerTimeoutMs,
            @JsonProperty("coordinator-timeout-ms") Long coordinatorTimeoutMs) {
    }

    /** {@code "cluster.address-blocks"}: how the leader deals the pools' blocks of 256 addresses. */
    record ClusterAddressBlocks(
            @JsonProperty("initial") Integer initial,
            @JsonProperty("reserve") Integer reserve,
            @JsonProperty("low-water") Long lowWater) {
    }

    /** {@code "Dhcp4"}: the DHCPv4 service, as Kea's top-level object of the same name. */
    record Dhcp4(
            @JsonProperty("server-identifier") String serverIdentifier,
            @JsonProperty("offer-lifetime") Long offerLifetime,
            @JsonProperty("decline-probation-period") Long declineProbationPeriod,
            @JsonProperty("max-hops") Integer maxHops,
            @JsonProperty("valid-lifetime") Long validLifetime,
            @JsonProperty("min-valid-lifetime") Long minValidLifetime,
            @JsonProperty("max-valid-lifetime") Long maxValidLifetime,
            @JsonProperty("renew-timer") Long renewTimer,
            @JsonProperty("rebind-timer") Long rebindTimer,
            @JsonProperty("authoritative") Boolean authoritative,
            @JsonProperty("option-data") List<OptionData> optionData,
            @JsonProperty("client-classes") List<ClientClassEntry> clientClasses,
            @JsonProperty("subnet4") List<Subnet4> subnet4) {

        Lifetimes lifetimes() {
            return new Lifetimes(validLifetime, minValidLifetime, maxValidLifetime, renewTimer, rebindTimer);
        }
    }

    /** One entry of {@code "subnet4"}. */
    record Subnet4(
            @JsonProperty("id") Long id,
            @JsonProperty("subnet") String subnet,
            @JsonProperty("interface") String interfaceName,
            @JsonProperty("authoritative") Boolean authoritative,
            @JsonProperty("pools") List<Pool> pools,
            @JsonProperty("option-data") List<OptionData> optionData,
            @JsonProperty("reservations") List<ReservationEntry> reservations,
            @JsonProperty("relay") Relay relay,
            @JsonProperty("valid-lifetime") Long validLifetime,
            @JsonProperty("min-valid-lifetime") Long minValidLifetime,
            @JsonProperty("max-valid-lifetime") Long maxValidLifetime,
            @JsonProperty("renew-timer") Long renewTimer,
            @JsonProperty("rebind-timer") Long rebindTimer) {

        Lifetimes lifetimes() {
            return new Lifetimes(validLifetime, minValidLifetime, maxValidLifetime, renewTimer, rebindTimer);
        }
    }

    /** One entry of {@code "pools"}. */
    record Pool(
            @JsonProperty("pool") String pool,
            @JsonProperty("client-class") String clientClass,
            @JsonProperty("option-data") List<OptionData> optionData) {
    }

    /** One entry of {@code "option-data"}. */
    record OptionData(
            @JsonProperty("name") String name,
            @JsonProperty("code") Integer code,
            @JsonProperty("data") String data,
            @JsonProperty("csv-format") Boolean csvFormat) {
    }

    /** One entry of {@code "reservations"}. */
    record ReservationEntry(
            @JsonProperty("hw-address") String hwAddress,
            @JsonProperty("client-id") String clientId,
            @JsonProperty("circuit-id") String circuitId,
            @JsonProperty("remote-id") String remoteId,
            @JsonProperty("ip-address") String ipAddress,
            @JsonProperty("hostname") String hostname,
            @JsonProperty("option-data") List<OptionData> optionData) {
    }

    /**
     * One entry of {@code "client-classes"}: a name, the conditions a request must all meet, and
     * options for members. {@code test} is Kea's expression; it is read (as any JSON value) only
     * so that it can be refused with a message saying what to write instead.
     */
    record ClientClassEntry(
            @JsonProperty("name") String name,
            @JsonProperty("test") JsonNode test,
            @JsonProperty("vendor-class-prefix") String vendorClassPrefix,
            @JsonProperty("hw-address-prefix") String hwAddressPrefix,
            @JsonProperty("circuit-id") String circuitId,
            @JsonProperty("remote-id") String remoteId,
            @JsonProperty("relay-agent-sub-options") List<SubOptionEntry> relayAgentSubOptions,
            @JsonProperty("option-data") List<OptionData> optionData) {
    }

    /** One entry of a class's {@code "relay-agent-sub-options"}: a sub-option of option 82 and its value. */
    record SubOptionEntry(@JsonProperty("code") Integer code, @JsonProperty("data") String data) {
    }

    /** {@code "relay"} of a subnet. */
    record Relay(@JsonProperty("ip-addresses") List<String> ipAddresses) {
    }

    /** The lease-time fields one scope (global or subnet) sets, each possibly absent. */
    record Lifetimes(Long valid, Long min, Long max, Long renew, Long rebind) {
    }
}
