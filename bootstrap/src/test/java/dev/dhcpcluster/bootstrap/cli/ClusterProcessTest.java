package dev.dhcpcluster.bootstrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dhcpcluster.bootstrap.e2e.Poll;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.MalformedPacketException;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.client.ClientSession;
import dev.dhcpcluster.testkit.client.Reaction;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code dhcpcluster run} processes on loopback (127.0.0.1, .2 and .3) form a cluster with a
 * secret made by {@code dhcpcluster cluster-key}: they elect node 3; SIGKILLed, node 3 is replaced
 * by node 2 within 3 s; restarted, node 3 rejoins and leads again in a higher epoch, all three
 * agreeing. A node that holds another secret is refused by the others and connects to no one.
 * Everything is read as an operator reads it: each node's {@code /status} and {@code /metrics}.
 */
class ClusterProcessTest {

    private static final String MAIN = "dev.dhcpcluster.bootstrap.Main";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(20);
    /** The bound: the other two elect a new leader within this after the leader dies. */
    private static final Duration FAILOVER_BUDGET = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The relay address of the shared-address-space test, which its subnet lists. */
    private static final String RELAY_ADDRESS = "127.0.0.9";

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<Integer, Process> running = new HashMap<>();
    private final Map<Integer, Integer> clusterPorts = new HashMap<>();
    private final Map<Integer, Integer> dhcpPorts = new HashMap<>();
    /** The relay the clients of the shared-address-space test speak through; null in the other tests. */
    private DatagramSocket relay;
    private final Map<Integer, Integer> adminPorts = new HashMap<>();

    @AfterEach
    void stopEveryNode() throws Exception {
        if (relay != null) {
            relay.close();
        }
        for (Process process : running.values()) {
            signal(process, "TERM");
        }
        for (Process process : running.values()) {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                signal(process, "KILL");
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @DisplayName("SIGKILL the leader (node 3): nodes 1 and 2 elect node 2 within 3 s; node 3 restarted leads again, all agreeing on the epoch")
    void failoverAndRejoin() throws Exception {
        Path secret = dir.resolve("cluster.key");
        clusterKey(secret);
        for (int id = 1; id <= 3; id++) {
            clusterPorts.put(id, freePort(id));
            adminPorts.put(id, freePort(id));
        }
        for (int id = 1; id <= 3; id++) {
            start(id, secret);
        }

        long firstEpoch = Poll.until(ELECTION_TIMEOUT, "all three nodes report leader 3 in one epoch",
                () -> agreed(List.of(1, 2, 3), 3), this::describe);
        JsonNode leader = status(3).orElseThrow().path("cluster");
        assertEquals("leader", leader.path("role").asText());
        // Each node's file has a pool of its own: the followers serve the leader's Dhcp4 section instead.
        for (int id = 1; id <= 2; id++) {
            int follower = id;
            Poll.until(ELECTION_TIMEOUT, "node " + id + " follows node 3's configuration", () -> log(follower)
                    .contains("node " + follower + " follows leader node 3's configuration version") ? Optional.of(true)
                    : Optional.empty(), () -> log(follower));
        }
        assertEquals(2, leader.path("majority").asInt());
        assertEquals(2, leader.path("peers-connected").asInt(), leader.toString());

        long killed = kill(3);
        long secondEpoch = Poll.until(ELECTION_TIMEOUT, "nodes 1 and 2 report leader 2", () -> agreed(List.of(1, 2), 2),
                this::describe);
        Duration failover = Duration.ofNanos(System.nanoTime() - killed);
        System.out.printf(Locale.ROOT, "failover: nodes 1 and 2 both reported leader 2 (epoch %d, was %d) %d ms after "
                + "node 3 was killed%n", secondEpoch, firstEpoch, failover.toMillis());
        assertTrue(failover.compareTo(FAILOVER_BUDGET) <= 0, "failover took " + failover.toMillis() + " ms\n"
                + describe());
        assertTrue(secondEpoch > firstEpoch, "the new leader's epoch is higher");

        start(3, secret);
        long thirdEpoch = Poll.until(ELECTION_TIMEOUT, "node 3 rejoins and all three report leader 3",
                () -> agreed(List.of(1, 2, 3), 3), this::describe);
        assertTrue(thirdEpoch > secondEpoch, "node 3 leads in an epoch above node 2's: " + thirdEpoch + " vs "
                + secondEpoch);
        assertTrue(Files.exists(dir.resolve("node3-data").resolve("election-vote")), "node 3 keeps its vote on disk");
    }

    @Test
    @DisplayName("one address space: one OFFER per DISCOVER heard by all three; every ACKed lease on every node; a node SIGKILLed and its store wiped: its clients rebind to the same addresses on the survivors, a new client is served, and it catches up every lease when restarted")
    void sharedAddressSpace() throws Exception {
        Path secret = dir.resolve("cluster.key");
        clusterKey(secret);
        relay = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(RELAY_ADDRESS), 0));
        for (int id = 1; id <= 3; id++) {
            clusterPorts.put(id, freePort(id));
            adminPorts.put(id, freePort(id));
            dhcpPorts.put(id, freeUdpPort(id));
        }
        for (int id = 1; id <= 3; id++) {
            start(id, secret);
        }
        Poll.until(ELECTION_TIMEOUT, "every node holds buckets and blocks under a current grant",
                () -> holdingNodes(List.of(1, 2, 3)) == 3 ? Optional.of(true) : Optional.empty(), this::describe);

        Map<ClientSession, Ipv4Address> leased = new HashMap<>();
        Map<ClientSession, Ipv4Address> servers = new HashMap<>();
        for (int i = 0; i < 24; i++) {
            ClientSession client = client(i, 60);
            DhcpMessage offer = onlyOffer(client);
            servers.put(client, offer.options().address(OptionCode.SERVER_IDENTIFIER).orElseThrow());
            Reaction bound = answer(client, assertInstanceOf(Reaction.Send.class, client.onReply(offer)).message());
            leased.put(client, assertInstanceOf(Reaction.Bound.class, bound, bound.toString()).address());
        }
        assertEquals(leased.size(), new java.util.HashSet<>(leased.values()).size(), "no address leased twice");
        for (int id = 1; id <= 3; id++) {
            assertEquals(new java.util.TreeSet<>(leased.values().stream().map(Ipv4Address::toString).toList()),
                    boundAddresses(id), "node " + id + " holds every ACKed lease");
        }
        List<ClientSession> ofNodeOne = leased.keySet().stream()
                .filter(client -> servers.get(client).equals(Ipv4Address.parse("127.0.0.1"))).toList();
        assertTrue(!ofNodeOne.isEmpty() && ofNodeOne.size() < leased.size(), "node 1 served some clients, not all: "
                + ofNodeOne.size());

        kill(1);
        for (String file : List.of("leases.db", "leases.db-wal", "leases.db-shm")) {
            Files.deleteIfExists(dir.resolve("node1-data").resolve(file));
        }
        for (ClientSession client : ofNodeOne) {
            Reaction renewed = answer(client, client.renew(++xid));
            assertEquals(leased.get(client), assertInstanceOf(Reaction.Renewed.class, renewed, renewed.toString())
                    .address(), "the client rebinds to its own address on a survivor");
        }
        ClientSession newcomer = client(100, 60);
        Reaction bound = answer(newcomer, assertInstanceOf(Reaction.Send.class,
                newcomer.onReply(onlyOffer(newcomer))).message());
        Ipv4Address newAddress = assertInstanceOf(Reaction.Bound.class, bound, bound.toString()).address();
        assertTrue(!leased.containsValue(newAddress), "the new client got a free address: " + newAddress);

        start(1, secret);
        Poll.until(ELECTION_TIMEOUT, "node 1 catches up every lease from its peers", () -> log(1).contains(
                "node 1 caught up with its peers' leases") && boundAddresses(1).equals(boundAddresses(2))
                ? Optional.of(true) : Optional.empty(), () -> log(1) + "\n" + boundAddresses(1) + "\n" + boundAddresses(2));
        assertTrue(boundAddresses(1).contains(newAddress.toString()), "including the lease made while it was down");
        assertTrue(log(1).contains("node 1 voted in its cluster before, but its lease store is new"), log(1));
    }

    /** How many of {@code ids} hold buckets and blocks under a current grant, by their /status. */
    private long holdingNodes(List<Integer> ids) {
        return ids.stream().filter(id -> status(id).map(status -> status.path("cluster").path("address-space"))
                .filter(space -> space.path("grant-current").asBoolean() && space.path("buckets").asInt() > 0
                        && space.path("blocks").size() > 0).isPresent()).count();
    }

    /** The addresses node {@code id} holds a BOUND lease of, from its /leases. */
    private java.util.SortedSet<String> boundAddresses(int id) {
        java.util.SortedSet<String> bound = new java.util.TreeSet<>();
        get(id, "/leases?limit=1000").ifPresent(text -> {
            try {
                JSON.readTree(text).path("leases").forEach(lease -> {
                    if ("BOUND".equals(lease.path("state").asText())) {
                        bound.add(lease.path("address").asText());
                    }
                });
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        return bound;
    }

    private int xid = 0x5ca1e000;

    private ClientSession client(int index, int retries) {
        return new ClientSession(index, HardwareAddress.ethernet(new byte[] {2, 0, 0, 0x10, 0, (byte) index}),
                Ipv4Address.parse(RELAY_ADDRESS), retries, Optional.empty());
    }

    /**
     * The client's DISCOVER, relayed to every running node: exactly one node offers (the holder of
     * its bucket), asked again every 500 ms until one does.
     */
    private DhcpMessage onlyOffer(ClientSession client) throws Exception {
        DhcpMessage discover = client.discover(++xid);
        long deadline = System.nanoTime() + ELECTION_TIMEOUT.toNanos();
        List<DhcpMessage> offers = new ArrayList<>();
        while (offers.isEmpty() && System.nanoTime() < deadline) {
            relayToAll(discover);
            offers.addAll(replies(client, Duration.ofMillis(500)));
        }
        // A second node's offer would come within the same moment: listen a little longer.
        offers.addAll(replies(client, Duration.ofMillis(300)));
        assertEquals(1, offers.size(), "offers to client " + client.index() + ": " + offers);
        return offers.get(0);
    }

    /** Relays {@code request} to every running node until the client takes an answer; returns that answer. */
    private Reaction answer(ClientSession client, DhcpMessage request) throws Exception {
        DhcpMessage next = request;
        while (true) {
            relayToAll(next);
            for (DhcpMessage reply : replies(client, Duration.ofMillis(500))) {
                Reaction reaction = client.onReply(reply);
                if (!(reaction instanceof Reaction.Ignored)) {
                    return reaction;
                }
            }
            Reaction timeout = client.onTimeout();
            if (!(timeout instanceof Reaction.Send send)) {
                return timeout;
            }
            next = send.message();
        }
    }

    private void relayToAll(DhcpMessage message) throws IOException {
        byte[] payload = DhcpCodec.encode(message, DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
        for (Map.Entry<Integer, Integer> node : dhcpPorts.entrySet()) {
            if (running.containsKey(node.getKey())) {
                relay.send(new DatagramPacket(payload, payload.length,
                        new InetSocketAddress(InetAddress.getByName("127.0.0." + node.getKey()), node.getValue())));
            }
        }
    }

    /** The replies for {@code client}'s current transaction that reach the relay within {@code wait}. */
    private List<DhcpMessage> replies(ClientSession client, Duration wait) throws IOException {
        List<DhcpMessage> replies = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] buffer = new byte[DhcpCodec.MAX_DATAGRAM_LENGTH];
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return replies;
            }
            relay.setSoTimeout((int) left);
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                relay.receive(packet);
            } catch (SocketTimeoutException e) {
                return replies;
            }
            try {
                DhcpMessage reply = DhcpCodec.decode(Arrays.copyOf(buffer, packet.getLength()));
                if (reply.xid() == client.xid() && reply.hardwareAddress().equals(client.hardwareAddress())) {
                    replies.add(reply);
                }
            } catch (MalformedPacketException e) {
                throw new AssertionError("a node's reply does not decode", e);
            }
        }
    }

    /** A UDP port free now on 127.0.0.{@code host}. */
    private static int freeUdpPort(int host) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0." + host),
                0))) {
            return socket.getLocalPort();
        }
    }

    @Test
    @DisplayName("a node with another secret is refused by the others: it connects to no one, and they count WRONG_SECRET")
    void aWrongSecretIsRefused() throws Exception {
        Path secret = dir.resolve("cluster.key");
        Path other = dir.resolve("other.key");
        clusterKey(secret);
        clusterKey(other);
        for (int id = 1; id <= 3; id++) {
            clusterPorts.put(id, freePort(id));
            adminPorts.put(id, freePort(id));
        }
        start(1, secret);
        start(2, secret);
        start(3, other);

        Poll.until(ELECTION_TIMEOUT, "nodes 1 and 2 count refusals of a wrong secret", () -> {
            double one = metric(1, "dhcpcluster_peer_refusals_total{reason=\"wrong_secret\"}");
            double two = metric(2, "dhcpcluster_peer_refusals_total{reason=\"wrong_secret\"}");
            return one > 0 && two > 0 ? Optional.of(true) : Optional.empty();
        }, this::describe);
        Poll.until(ELECTION_TIMEOUT, "nodes 1 and 2 agree on leader 2 without node 3", () -> agreed(List.of(1, 2), 2),
                this::describe);
        JsonNode outsider = status(3).orElseThrow().path("cluster");
        assertEquals(0, outsider.path("peers-connected").asInt(), outsider.toString());
        assertTrue(!outsider.path("majority-present").asBoolean(), outsider.toString());
        assertTrue(!"leader".equals(outsider.path("role").asText()), "a node alone among three never leads: " + outsider);
        for (int id = 1; id <= 2; id++) {
            JsonNode member3 = status(id).orElseThrow().path("cluster").path("members").get(2);
            assertEquals(3, member3.path("id").asInt());
            assertTrue(!member3.path("connected").asBoolean(), member3.toString());
        }
        assertTrue(log(1).contains("peer refused (WRONG_SECRET)") || log(2).contains("peer refused (WRONG_SECRET)"),
                describe());
    }

    @Test
    @DisplayName("a taken cluster port, or a secret file others may read, refuses the start in one line naming the field")
    void refusedStarts() throws Exception {
        Path secret = dir.resolve("cluster.key");
        clusterKey(secret);
        clusterPorts.put(2, freePort(2));
        adminPorts.put(1, freePort(1));
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            clusterPorts.put(1, taken.getLocalPort());

            List<String> errors = refused(1, secret);

            assertEquals(List.of("node 1 did not start: cluster.listen: cannot listen for peers on 127.0.0.1:"
                    + taken.getLocalPort() + ": Address already in use"), errors);
        }
        clusterPorts.put(1, freePort(1));
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        List<String> errors = refused(1, secret);

        assertEquals(List.of("node 1 did not start: cluster.secret-file: " + secret + ": the cluster secret file is "
                + "open to group or others (mode rw-r--r--); make it readable by the node's user only (chmod 600 "
                + secret + ")"), errors);
    }

    /** Starts node {@code id}, which must exit 1 within a minute; returns what it wrote on standard error. */
    private List<String> refused(int id, Path secret) throws Exception {
        start(id, secret, false);
        Process process = running.remove(id);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "node " + id + " kept running");
        assertEquals(DhcpclusterCommand.FAILED, process.exitValue(), log(id));
        assertEquals("", read(dir.resolve("node" + id + ".out")), "no ready line");
        List<String> lines = Files.readAllLines(dir.resolve("node" + id + ".log"));
        Files.delete(dir.resolve("node" + id + ".log"));
        return lines;
    }

    /** The epoch, if every node in {@code ids} reports {@code leader} as leader in one epoch, itself leading if it is. */
    private Optional<Long> agreed(List<Integer> ids, int leader) {
        Long epoch = null;
        for (int id : ids) {
            Optional<JsonNode> status = status(id);
            if (status.isEmpty()) {
                return Optional.empty();
            }
            JsonNode cluster = status.get().path("cluster");
            if (cluster.path("leader").asInt() != leader || !cluster.path("majority-present").asBoolean()
                    || (id == leader) != "leader".equals(cluster.path("role").asText())) {
                return Optional.empty();
            }
            long reported = cluster.path("epoch").asLong();
            if (epoch != null && epoch != reported) {
                return Optional.empty();
            }
            epoch = reported;
        }
        return Optional.ofNullable(epoch);
    }

    private void start(int id, Path secret) throws Exception {
        start(id, secret, true);
    }

    private void start(int id, Path secret, boolean awaitServing) throws Exception {
        StringBuilder peers = new StringBuilder();
        for (int peer = 1; peer <= 3; peer++) {
            if (peer != id && clusterPorts.containsKey(peer)) {
                peers.append(peers.length() == 0 ? "" : ", ").append("{\"id\": ").append(peer)
                        .append(", \"address\": \"127.0.0.").append(peer).append(':').append(clusterPorts.get(peer))
                        .append("\"}");
            }
        }
        Path config = dir.resolve("node" + id + ".json");
        if (relay == null) {
            Files.writeString(config, """
                    {"node": {"id": %d, "data-directory": "%s"},
                     "transport": {"type": "udp", "listen-address": "127.0.0.%d", "listen-port": 0},
                     "lease-store": {"type": "memory"},
                     "admin": {"listen": "127.0.0.%d:%d"},
                     "cluster": {"name": "lab", "listen": "127.0.0.%d:%d", "secret-file": "%s", "peers": [%s]},
                     "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.%d.1 - 198.18.%d.200"}]}]}}
                    """.formatted(id, dir.resolve("node" + id + "-data"), id, id, adminPorts.get(id), id,
                    clusterPorts.get(id), secret, peers, id, id));
        } else {
            // One address space: the same Dhcp4 on every node (4 blocks of 256), SQLite stores, and
            // the test's relay socket, to which every node answers.
            Files.writeString(config, """
                    {"node": {"id": %d, "data-directory": "%s"},
                     "transport": {"type": "udp", "listen-address": "127.0.0.%d", "listen-port": %d, "relay-port": %d},
                     "admin": {"listen": "127.0.0.%d:%d"},
                     "cluster": {"name": "lab", "listen": "127.0.0.%d:%d", "secret-file": "%s", "peers": [%s]},
                     "Dhcp4": {"valid-lifetime": 600, "subnet4": [{"subnet": "198.18.0.0/16",
                       "pools": [{"pool": "198.18.8.1 - 198.18.11.254"}], "relay": {"ip-addresses": ["%s"]}}]}}
                    """.formatted(id, dir.resolve("node" + id + "-data"), id, dhcpPorts.get(id),
                    relay.getLocalPort(), id, adminPorts.get(id), id, clusterPorts.get(id), secret, peers,
                    RELAY_ADDRESS));
        }
        Path out = dir.resolve("node" + id + ".out");
        Path err = dir.resolve("node" + id + ".log");
        Process process = new ProcessBuilder(java(), "-Xmx192m", "-cp", System.getProperty("java.class.path"), MAIN,
                "run", "--config", config.toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
                .start();
        running.put(id, process);
        if (!awaitServing) {
            return;
        }
        Poll.until(START_TIMEOUT, "node " + id + " serves", () -> {
            if (!process.isAlive()) {
                throw new AssertionError("node " + id + " exited with " + process.exitValue() + "\n" + log(id));
            }
            return read(out).contains("dhcpcluster node " + id + " serving") ? Optional.of(true) : Optional.empty();
        }, () -> log(id));
    }

    /** SIGKILLs node {@code id} by its PID; returns {@link System#nanoTime()} at the moment it was sent. */
    private long kill(int id) throws Exception {
        Process process = running.remove(id);
        long sent = System.nanoTime();
        signal(process, "KILL");
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "node " + id + " survived SIGKILL");
        return sent;
    }

    private static void signal(Process process, String signal) throws Exception {
        if (!process.isAlive()) {
            return;
        }
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        kill.waitFor(10, TimeUnit.SECONDS);
    }

    private void clusterKey(Path file) throws Exception {
        Process process = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), MAIN,
                "cluster-key", file.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "cluster-key finished");
        assertEquals(0, process.exitValue(), output);
    }

    private Optional<JsonNode> status(int id) {
        return get(id, "/status").map(text -> {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("node " + id + " answered /status with no JSON: " + text, e);
            }
        });
    }

    private double metric(int id, String sample) {
        Optional<String> text = get(id, "/metrics");
        if (text.isEmpty()) {
            return -1;
        }
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text.get());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }

    private Optional<String> get(int id, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0." + id + ":"
                    + adminPorts.get(id) + path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String describe() {
        StringBuilder text = new StringBuilder();
        for (int id = 1; id <= 3; id++) {
            text.append("--- node ").append(id).append(" status: ")
                    .append(status(id).map(status -> status.path("cluster").toString()).orElse("(no answer)"))
                    .append('\n').append(log(id));
        }
        return text.toString();
    }

    private String log(int id) {
        return read(dir.resolve("node" + id + ".log"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A TCP port free now on 127.0.0.{@code host}. */
    private static int freePort(int host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + host), 0));
            return socket.getLocalPort();
        }
    }
}
