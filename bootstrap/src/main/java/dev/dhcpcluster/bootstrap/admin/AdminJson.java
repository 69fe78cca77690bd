package dev.dhcpcluster.bootstrap.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.runtime.ClusterView;
import dev.dhcpcluster.bootstrap.runtime.MemberView;
import dev.dhcpcluster.core.cluster.Assignment;
import dev.dhcpcluster.bootstrap.runtime.EventCounts;
import dev.dhcpcluster.bootstrap.runtime.ReloadOutcome;
import dev.dhcpcluster.core.election.ElectionStatus;
import dev.dhcpcluster.core.election.MemberStatus;
import dev.dhcpcluster.core.lease.LeasePage;
import dev.dhcpcluster.core.pool.PoolUsage;
import dev.dhcpcluster.core.pool.SubnetUsage;
import dev.dhcpcluster.port.model.HostNameSent;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.peer.ConnectedObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The JSON documents of the admin endpoint. Values are raw: a host name a client chose is written
 * exactly as stored, with JSON's own escaping only, so a program reading it sees the real bytes.
 * The host name a client sent, which may be any octets, is written both as hex (every octet, always
 * lossless) and, when its octets are UTF-8, as text with JSON's own escaping (lossless too, since
 * no octet was replaced in decoding it).
 */
public final class AdminJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private AdminJson() {
    }

    /** {@code {"error": "...", "parameter": "..."}}; the parameter only where one is to blame. */
    static ObjectNode error(String message, String parameter) {
        ObjectNode error = MAPPER.createObjectNode().put("error", message);
        if (parameter != null) {
            error.put("parameter", parameter);
        }
        return error;
    }

    /**
     * One lease: the fields of a {@code leases} line, named, then {@code hostname-sent} (hex) and
     * {@code hostname-sent-text} (the same octets as text if they are UTF-8), each null if the
     * client sent no name, the text also null if the octets are not UTF-8. {@code writer} is the id
     * of the node that wrote the lease's version; {@code version} is the version's canonical text,
     * {@code epoch.counter.writer} ({@link dev.dhcpcluster.port.model.LeaseVersion#toString()}).
     */
    public static ObjectNode lease(Lease lease) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("address", lease.address().toString())
                .put("state", lease.state().name())
                .put("expiry", lease.expiry().toString())
                .put("hardware-address", lease.hardwareAddress().toString())
                .put("client", lease.clientKey().toString())
                .put("writer", lease.writer().value())
                .put("version", lease.version().toString());
        if (lease.hostname().isPresent()) {
            node.put("hostname", lease.hostname().get());
        } else {
            node.putNull("hostname");
        }
        Optional<HostNameSent> sent = lease.hostnameSent();
        if (sent.isPresent()) {
            node.put("hostname-sent", sent.get().toString());
        } else {
            node.putNull("hostname-sent");
        }
        Optional<String> text = sent.flatMap(HostNameSent::utf8);
        if (text.isPresent()) {
            node.put("hostname-sent-text", text.get());
        } else {
            node.putNull("hostname-sent-text");
        }
        return node;
    }

    /** {@code {"leases": [...], "next": "198.18.1.9"}}, {@code next} null on the last page. */
    static ObjectNode leases(LeasePage page) {
        ObjectNode node = MAPPER.createObjectNode();
        ArrayNode leases = node.putArray("leases");
        page.leases().forEach(lease -> leases.add(lease(lease)));
        if (page.next().isPresent()) {
            node.put("next", page.next().get().toString());
        } else {
            node.putNull("next");
        }
        return node;
    }

    /** What a node reports about itself; see docs/cli.md for every field. */
    record Status(NodeConfig config, String version, Instant started, Instant now, String endpoint, String storeDescription, OptionalInt boundPort,
            PoolUsage usage, EventCounts counts, Optional<ClusterView> cluster) {

        /** The status of a node that runs alone. */
        Status(NodeConfig config, String version, Instant started, Instant now, String endpoint, String storeDescription, OptionalInt boundPort,
                PoolUsage usage, EventCounts counts) {
            this(config, version, started, now, endpoint, storeDescription, boundPort, usage, counts, Optional.empty());
        }
    }

    static ObjectNode status(Status status) {
        NodeConfig config = status.config();
        ObjectNode node = MAPPER.createObjectNode()
                .put("node", config.node().value())
                .put("version", status.version())
                .put("started", status.started().toString())
                .put("uptime-seconds", Duration.between(status.started(), status.now()).toSeconds());
        ObjectNode transport = node.putObject("transport").put("type", config.transport().type());
        transport.set("settings", MAPPER.valueToTree(config.transport().settings()));
        if (status.boundPort().isPresent()) {
            transport.put("listen-port", status.boundPort().getAsInt());
        } else {
            transport.putNull("listen-port");
        }
        transport.put("endpoint", status.endpoint());
        ArrayNode interfaces = transport.putArray("interfaces");
        config.transport().interfaces().values().forEach(interfaces::add);

        EventCounts.StoreCounts commits = status.counts().store();
        ObjectNode store = node.putObject("store").put("type", config.leaseStore().type());
        store.set("settings", MAPPER.valueToTree(config.leaseStore().settings()));
        store.put("description", status.storeDescription());
        store.put("commits", commits.commits())
                .put("changes-committed", commits.changesCommitted())
                .put("average-batch", commits.averageBatch())
                .put("max-batch", commits.maxBatch())
                .put("commit-latency-average-seconds", seconds(commits.averageCommitLatency()))
                .put("commit-latency-max-seconds", seconds(commits.commitLatencyMax()))
                .put("pending", commits.pending())
                .put("failures", commits.failures());

        ArrayNode pools = node.putArray("pools");
        for (SubnetUsage subnet : status.usage().subnets()) {
            pools.addObject()
                    .put("subnet", subnet.network() + "/" + subnet.prefixLength())
                    .put("total", subnet.size())
                    .put("free", subnet.free())
                    .put("offered", subnet.offered())
                    .put("bound", subnet.bound())
                    .put("declined", subnet.declined());
        }

        EventCounts counts = status.counts();
        ObjectNode traffic = node.putObject("traffic");
        counted(traffic.putObject("received"), counts.requests());
        counted(traffic.putObject("sent"), counts.replies());
        counted(traffic.putObject("dropped"), counts.drops());
        traffic.put("leases-bound", counts.leasesBound())
                .put("leases-released", counts.leasesReleased())
                .put("addresses-declined", counts.addressesDeclined())
                .put("pool-exhaustions", counts.poolExhaustions());

        int id = config.node().value();
        if (status.cluster().isPresent()) {
            cluster(node.putObject("cluster"), id, status.cluster().get());
        } else {
            // A node without a cluster section runs alone and leads itself.
            ObjectNode cluster = node.putObject("cluster").put("mode", "single-node").put("node", id).put("leader", id);
            cluster.putArray("members").add(id);
        }
        return node;
    }

    /**
     * The cluster as this node sees it: its role, the leader it follows, the epoch, the majority,
     * and every member (this node included) with what this node heard of it.
     */
    private static void cluster(ObjectNode cluster, int id, ClusterView view) {
        ElectionStatus election = view.election();
        cluster.put("mode", "cluster")
                .put("name", view.name())
                .put("node", id)
                .put("listen", view.listen().orElse(null))
                .put("role", election.role().name().toLowerCase(Locale.ROOT));
        if (election.leader().isPresent()) {
            cluster.put("leader", election.leader().get().value());
        } else {
            cluster.putNull("leader");
        }
        cluster.put("epoch", election.epoch())
                .put("majority", election.majority())
                .put("majority-present", election.majorityPresent())
                .put("elections-started", election.electionsStarted())
                .put("peers-connected", view.connected().size());
        ArrayNode members = cluster.putArray("members");
        for (MemberStatus member : election.members()) {
            ObjectNode entry = members.addObject().put("id", member.node().value()).put("self", member.self());
            String address = member.self() ? view.listen().orElse(null) : view.addresses().get(member.node());
            entry.put("address", address);
            entry.put("connected", member.self() || view.connected().contains(member.node()))
                    .put("alive", member.alive());
            if (member.sinceHeard().isPresent()) {
                entry.put("last-heard-ms", member.sinceHeard().get().toMillis());
            } else {
                entry.putNull("last-heard-ms");
            }
            Optional<Duration> rtt = view.roundTrip(member.node());
            if (rtt.isPresent()) {
                entry.put("rtt-ms", rtt.get().toNanos() / 1e6);
            } else {
                entry.putNull("rtt-ms");
            }
            entry.put("epoch", member.epoch());
            if (member.leader().isPresent()) {
                entry.put("leader", member.leader().get().value());
            } else {
                entry.putNull("leader");
            }
            if (view.member().isPresent()) {
                Assignment accepted = view.member().get().accepted();
                entry.put("assigned-blocks", accepted.blocksOf(member.node()).size())
                        .put("assigned-buckets", accepted.bucketsOf(member.node()).size());
            }
        }
        view.member().ifPresent(member -> addressSpace(cluster.putObject("address-space"), member));
        ArrayNode observers = cluster.putArray("observers");
        view.observers().stream()
                .sorted(Comparator.comparing(ConnectedObserver::name).thenComparing(ConnectedObserver::remote))
                .forEach(observer -> observers.addObject().put("name", observer.name()).put("remote", observer.remote()));
    }

    /**
     * What this member holds of the address space now, under its grant, and how its replication
     * stands: {@code {"grant-current": true, "blocks": ["198.18.0.10", ...], "buckets": 85,
     * "free-addresses": 240, "free-by-subnet": {"198.18.0.10": 200, "198.18.4.10": 40}, "replicating": 0,
     * "recovering": false, "assignment": "4.2"}}; {@code free-by-subnet} names each subnet by its
     * pools' first block, as the cluster deals and refills each subnet on its own.
     */
    private static void addressSpace(ObjectNode space, MemberView member) {
        space.put("grant-current", member.grantCurrent());
        ArrayNode blocks = space.putArray("blocks");
        member.holdings().blocks().forEach(block -> blocks.add(block.toString()));
        space.put("buckets", member.holdings().buckets().size())
                .put("free-addresses", member.freeAddresses());
        ObjectNode bySubnet = space.putObject("free-by-subnet");
        member.freeBySubnet().forEach((subnet, free) -> bySubnet.put(subnet.toString(), free));
        space.put("replicating", member.replicating())
                .put("recovering", member.recovering())
                .put("assignment", member.accepted().epoch() + "." + member.accepted().sequence());
    }

    /** What a reload did: {@code {"applied": true, "changes": [...], "restart-needed": [...], "errors": [...]}}. */
    static ObjectNode reload(ReloadOutcome outcome) {
        ObjectNode node = MAPPER.createObjectNode().put("applied", outcome.applied());
        strings(node.putArray("changes"), outcome.changes());
        strings(node.putArray("restart-needed"), outcome.restartNeeded());
        strings(node.putArray("errors"), outcome.errors());
        return node;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    /** Counts by name, in the enum's (protocol) order, zeros left out. */
    private static <E extends Enum<E>> void counted(ObjectNode target, Map<E, Long> counts) {
        counts.entrySet().stream()
                .filter(entry -> entry.getValue() > 0)
                .sorted(Map.Entry.comparingByKey())
                .forEach(entry -> target.put(entry.getKey().name(), entry.getValue()));
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
