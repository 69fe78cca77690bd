package dev.dhcpcluster.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dhcpcluster.core.cluster.GrantTimers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentest4j.AssertionFailedError;

/**
 * Three dhcpcluster nodes forming one cluster on one bridge of a {@link NetworkLab}: node N runs in
 * the namespace of host {@code nodeN} with the address 198.18.0.N/21, serves that interface by UDP
 * (bound to it, so it hears every client broadcast on the bridge), keeps its leases in SQLite in a
 * data directory that survives its restarts, and talks to its peers over the bridge with a secret
 * shared in a file of mode 0600. Every node has the same {@code Dhcp4} section.
 *
 * <p>Everything a test learns about the nodes it learns as an operator does, from each node's
 * admin endpoint ({@code /status}, {@code /leases}, {@code /metrics}), asked from inside the
 * node's namespace. Nodes are stopped by their PID only: {@link #kill} sends SIGKILL, and the lab
 * stops whatever still runs when it closes.
 */
public final class LabCluster {

    /** The number of nodes. */
    public static final int SIZE = 3;
    /** The prefix of the nodes' link, which the subnet of the nodes' clients must equal. */
    public static final String LINK_PREFIX = "/21";

    /** The cluster's name ({@code cluster.name}), which an observer of the cluster (a relay) gives too. */
    public static final String CLUSTER_NAME = "lab";
    /** The port each node listens on for its peers (and a relay's observer connection). */
    public static final int PEER_PORT = 6767;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
    /**
     * How long the leader's view must have stood before every live node holds its share of blocks
     * and buckets: a new leader hands nothing out for its takeover wait, a lost node's share moves
     * a lapse wait after its last grant (shorter), and a grant then reaches its member within a
     * renew interval or two; one more second covers a loaded machine's scheduling.
     */
    static final Duration SETTLE = Duration.ofNanos(GrantTimers.DEFAULTS.takeoverWait())
            .plus(GrantTimers.DEFAULTS.renewInterval().multipliedBy(2)).plusSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NetworkLab lab;
    private final Map<Integer, NodeProcess> nodes = new LinkedHashMap<>();
    private final Map<Integer, Integer> starts = new LinkedHashMap<>();
    /** Each node's config as its file holds it now, cluster section included. */
    private final Map<Integer, NodeConfigFile> configs = new LinkedHashMap<>();
    private final Path secretFile;

    private LabCluster(NetworkLab lab, Path secretFile) {
        this.lab = lab;
        this.secretFile = secretFile;
    }

    /**
     * Adds the three node hosts to {@code lab}, writes the shared secret, starts the three nodes
     * at once with {@code dhcp} (a config whose interface is {@code eth0}) as each one's
     * {@code Dhcp4} and transport, and waits until each is ready.
     */
    public static LabCluster start(NetworkLab lab, NodeConfigFile dhcp) {
        return start(lab, id -> dhcp, Map.of());
    }

    /**
     * Like {@link #start(NetworkLab, NodeConfigFile)}, with node N's config {@code configs.apply(N)};
     * node N runs on {@code hosts.get(N)} where that is given (a host of {@code lab} whose address is
     * {@link #address address(N)}, such as a router that is also a node), on a host of its own
     * otherwise.
     */
    public static LabCluster start(NetworkLab lab, IntFunction<NodeConfigFile> configs, Map<Integer, LabHost> hosts) {
        Path secret = writeSecret(lab.workDirectory().resolve("cluster.key"));
        LabCluster cluster = new LabCluster(lab, secret);
        Map<Integer, LabHost> nodeHosts = new LinkedHashMap<>();
        for (int id = 1; id <= SIZE; id++) {
            LabHost given = hosts.get(id);
            nodeHosts.put(id, given != null ? given : lab.addHost("node" + id, address(id) + LINK_PREFIX));
        }
        for (int id = 1; id <= SIZE; id++) {
            Map<Integer, String> peers = new LinkedHashMap<>();
            for (int peer = 1; peer <= SIZE; peer++) {
                if (peer != id) {
                    peers.put(peer, address(peer) + ":" + PEER_PORT);
                }
            }
            NodeConfigFile member = configs.apply(id).asClusterMember(id,
                    new NodeConfigFile.Cluster(CLUSTER_NAME, address(id) + ":" + PEER_PORT, secret, peers));
            cluster.configs.put(id, member);
            cluster.nodes.put(id, NodeProcess.launch(lab, nodeHosts.get(id), "node" + id, member));
            cluster.starts.put(id, 1);
        }
        cluster.nodes.values().forEach(NodeProcess::awaitReady);
        return cluster;
    }

    /** The address of node {@code id} on the bridge, also its DHCP server identifier. */
    public static String address(int id) {
        return "198.18.0." + id;
    }

    /** Node {@code id}'s peer address, {@code address:port}, where a relay dials it as an observer. */
    public static String peerAddress(int id) {
        return address(id) + ":" + PEER_PORT;
    }

    /** The file holding the cluster's shared secret (mode 0600), which a relay of the cluster reads too. */
    public Path secretFile() {
        return secretFile;
    }

    /** The id of the node whose server identifier is {@code serverIdentifier}; fails for any other address. */
    public int nodeWithServerIdentifier(String serverIdentifier) {
        for (int id = 1; id <= SIZE; id++) {
            if (address(id).equals(serverIdentifier)) {
                return id;
            }
        }
        throw new AssertionFailedError("no node has the server identifier \"" + serverIdentifier + "\"" + describe());
    }

    /** The running (or last) process of node {@code id}. */
    public NodeProcess node(int id) {
        NodeProcess node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("no node " + id);
        }
        return node;
    }

    /** SIGKILLs node {@code id} by its PID and waits until it has ended. */
    public void kill(int id) {
        node(id).kill();
    }

    /**
     * Rewrites node {@code id}'s config file with {@code change} applied to what it holds (its
     * data directory and cluster section stay), and sends the node SIGHUP, as an operator reloads
     * a node; returns the new config. Whether the node took it, it shows in its log and metrics.
     */
    public NodeConfigFile reconfigure(int id, UnaryOperator<NodeConfigFile> change) {
        NodeProcess node = node(id);
        NodeConfigFile changed = change.apply(configs.get(id));
        node.rewriteConfig(changed);
        configs.put(id, changed);
        node.reload();
        return changed;
    }

    /**
     * Starts every node again, at once, with its config and data directory, and waits until each
     * is ready. The nodes must have ended.
     */
    public void restartAll() {
        for (int id = 1; id <= SIZE; id++) {
            int start = starts.merge(id, 1, Integer::sum);
            nodes.put(id, node(id).relaunch("node" + id + "-" + start));
        }
        nodes.values().forEach(NodeProcess::awaitReady);
    }

    /**
     * Waits (bounded) until the nodes {@code live} all report one leader in one epoch with a
     * majority present, and have reported it for {@link #SETTLE}: by then the leader has handed
     * every block and bucket of the address space's standing assignment to live nodes (a dead
     * node's share included), so that each client broadcast is answered by exactly one of them.
     * Returns the leader.
     *
     * <p>The nodes do not show what they hold, so this is judged from the election's view and the
     * documented timing of grants ({@link GrantTimers#DEFAULTS}); any change of the view starts
     * the wait again.
     */
    public int awaitSettled(Collection<Integer> live) {
        long[] since = {0};
        long[] view = {-1, -1};
        return Poll.until(SETTLE_TIMEOUT, "nodes " + live + " to agree on a leader for " + SETTLE.toMillis() + " ms",
                () -> {
                    Optional<long[]> agreed = agreed(live);
                    long now = System.nanoTime();
                    if (agreed.isEmpty()) {
                        view[0] = -1;
                        return Optional.empty();
                    }
                    if (agreed.get()[0] != view[0] || agreed.get()[1] != view[1]) {
                        view[0] = agreed.get()[0];
                        view[1] = agreed.get()[1];
                        since[0] = now;
                    }
                    return now - since[0] >= SETTLE.toNanos() ? Optional.of((int) view[0]) : Optional.empty();
                }, this::describe);
    }

    /** {leader, epoch} if every node of {@code ids} reports that leader in that epoch with a majority present. */
    private Optional<long[]> agreed(Collection<Integer> ids) {
        long leader = -1;
        long epoch = -1;
        for (int id : ids) {
            Optional<JsonNode> status = status(id);
            if (status.isEmpty()) {
                return Optional.empty();
            }
            JsonNode cluster = status.get().path("cluster");
            long reportedLeader = cluster.path("leader").asLong(-1);
            long reportedEpoch = cluster.path("epoch").asLong(-1);
            if (reportedLeader < 0 || !cluster.path("majority-present").asBoolean()
                    || (reportedLeader == id) != "leader".equals(cluster.path("role").asText())
                    || (leader >= 0 && (reportedLeader != leader || reportedEpoch != epoch))) {
                return Optional.empty();
            }
            leader = reportedLeader;
            epoch = reportedEpoch;
        }
        return Optional.of(new long[] {leader, epoch});
    }

    /** Node {@code id}'s {@code /status}, or empty if it did not answer. */
    public Optional<JsonNode> status(int id) {
        return node(id).admin("/status").map(LabCluster::parse);
    }

    /**
     * The value of one sample of node {@code id}'s {@code /metrics}, such as
     * {@code dhcpcluster_dhcp_packets_sent_total{type="offer"}}; fails if the node does not answer
     * or has no such sample.
     */
    public long metric(int id, String sample) {
        String text = node(id).admin("/metrics")
                .orElseThrow(() -> new AssertionFailedError("node " + id + " did not answer /metrics" + describe()));
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
        if (!matcher.find()) {
            throw new AssertionFailedError("node " + id + " has no sample " + sample + " in /metrics:\n" + text);
        }
        return Math.round(Double.parseDouble(matcher.group(1)));
    }

    /** The sum of one sample over every node. */
    public long metricSum(String sample) {
        long sum = 0;
        for (int id = 1; id <= SIZE; id++) {
            sum += metric(id, sample);
        }
        return sum;
    }

    /**
     * Every lease node {@code id} holds, as {@code /leases} shows them page by page, by address;
     * empty if the node did not answer.
     */
    public Optional<Map<String, JsonNode>> leases(int id) {
        Map<String, JsonNode> leases = new LinkedHashMap<>();
        String after = null;
        do {
            Optional<JsonNode> page = node(id).admin("/leases?limit=1000" + (after == null ? "" : "&after=" + after))
                    .map(LabCluster::parse);
            if (page.isEmpty()) {
                return Optional.empty();
            }
            page.get().path("leases").forEach(lease -> leases.put(lease.path("address").asText(), lease));
            JsonNode next = page.get().path("next");
            after = next.isTextual() ? next.asText() : null;
        } while (after != null);
        return Optional.of(leases);
    }

    /** The {@code /status} of every running node and the output of every process of the lab, for failure messages. */
    public String describe() {
        StringBuilder text = new StringBuilder(System.lineSeparator());
        for (int id = 1; id <= SIZE; id++) {
            NodeProcess node = nodes.get(id);
            text.append("--- node ").append(id).append(" /status: ")
                    .append(node != null && node.isAlive()
                            ? node.admin("/status").orElse("(no answer)").strip() : "(not running)")
                    .append(System.lineSeparator());
        }
        return text.append(lab.describeProcesses()).toString();
    }

    /** The ids of every node but {@code excluded}. */
    public static List<Integer> allBut(int excluded) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id <= SIZE; id++) {
            if (id != excluded) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** The ids of every node. */
    public static List<Integer> all() {
        return allBut(0);
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionFailedError("not JSON: " + text, e);
        }
    }

    /** A new secret of 32 random bytes in base64, as {@code dhcpcluster cluster-key} writes one: mode 0600. */
    private static Path writeSecret(Path file) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(secret) + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }
}
