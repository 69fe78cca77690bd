package dev.dhcpcluster.bootstrap.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.runtime.EventLoop;
import dev.dhcpcluster.bootstrap.secret.ClusterSecret;
import dev.dhcpcluster.bootstrap.secret.SecretException;
import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.client.ClientReport;
import dev.dhcpcluster.testkit.client.DhcpClient;
import dev.dhcpcluster.testkit.client.HeldLease;
import dev.dhcpcluster.testkit.client.LoadSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A three-node cluster on loopback, with no root and no config file, that loses a node while its
 * clients hold leases. Three {@code dhcpcluster run} processes (the demo's own Java and class
 * path) listen on {@code 127.0.0.11}, {@code .12} and {@code .13}, with one secret written as
 * {@code cluster-key} writes it, one pool, and SQLite stores in a temporary directory deleted at
 * the end. A relay-style client on {@code 127.0.0.2} forwards every client's messages to all three
 * nodes, as a relay with three helper addresses does, so that the owner of each client's bucket
 * alone offers. The demo
 * <ol>
 *   <li>waits until the nodes agree on a leader and, where their status shows it, each holds
 *       blocks of the pool;</li>
 *   <li>leases addresses for {@code count} clients;</li>
 *   <li>SIGKILLs the node that granted the most of them;</li>
 *   <li>renews every lease: RENEWING straight to the node that granted it, which for the killed
 *       node's clients goes unanswered, so they rebind through the relay; every client must keep
 *       its address;</li>
 *   <li>leases addresses for new clients from the two survivors;</li>
 * </ol>
 * and checks that every DISCOVER drew one offer, that no address went to two clients, and that
 * both survivors hold every lease.
 *
 * <p>The pool is on loopback ({@code 127.1.0.0/16}): a RENEWING client's request goes straight to
 * its server, whose answer goes to the client's own address, and on loopback both stay on the
 * machine. The client receives on the wildcard address, on the port every node uses as client and
 * relay port.
 */
public final class Demo {

    /** The relay address the client puts in giaddr; the demo subnet lists it. */
    public static final Ipv4Address RELAY = Ipv4Address.parse("127.0.0.2");
    /** The subnet of the demo's pool. */
    public static final Ipv4Prefix SUBNET = Ipv4Prefix.parse("127.1.0.0/16");
    /** How many nodes the demo runs. */
    public static final int NODES = 3;
    /** How many clients lease before the kill unless told otherwise. */
    public static final int DEFAULT_COUNT = 60;
    /**
     * The most clients that lease before the kill: with a third as many after it, they fit in the
     * survivors' share of the pool, and the demo stays within a minute.
     */
    public static final int MAX_COUNT = 1000;

    static final String CONFIG_RESOURCE = "demo-node.json";
    private static final String MAIN = "dev.dhcpcluster.bootstrap.Main";
    private static final String SECRET_FILE = "cluster.key";
    /** From the start until the nodes serve, agree on a leader and hold blocks. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);
    /** A request waits this long for its answer before it is sent again. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
    /**
     * Retransmissions of a DISCOVER, a REQUEST or a REBINDING REQUEST: enough for a node's grant of
     * the killed node's buckets, which comes a few seconds after the kill (a new leader waits
     * longest, see docs/cluster.md).
     */
    private static final int RETRIES = 15;
    /** Retransmissions of a RENEWING REQUEST to a silent node before its client rebinds. */
    private static final int UNICAST_RETRIES = 1;
    private static final int LOG_LINES = 12;

    /**
     * What a demo run found.
     *
     * @param leader the node that led when the clients leased
     * @param leasedBy how many of the first clients' leases each node granted, by node id
     * @param killed the node SIGKILLed
     * @param leased the first clients' run
     * @param renewed the renewal run after the kill
     * @param renewedOwn renewals answered by the node that granted the lease
     * @param rebound renewals answered by another node (after the client rebound)
     * @param fresh the new clients' run after the renewals
     * @param freshBy how many of the new clients' leases each node granted, by node id
     * @param offerChecks clients whose DISCOVERs drew offers from exactly one node
     * @param multipleOffers clients whose DISCOVERs drew offers from several nodes
     * @param duplicates addresses held by more than one client at the end
     * @param survivorsBound the bound leases each survivor lists at the end, by node id
     * @param survivorsMatching the clients whose lease each survivor lists as the client holds it
     *     (bound, at the client's address, to its hardware address), by node id
     * @param elapsed from the start to the end of the checks
     */
    public record Result(int leader, Map<Integer, Integer> leasedBy, int killed, ClientReport leased,
            ClientReport renewed, int renewedOwn, int rebound, ClientReport fresh, Map<Integer, Integer> freshBy,
            int offerChecks, int multipleOffers, int duplicates, Map<Integer, Long> survivorsBound,
            Map<Integer, Long> survivorsMatching, Duration elapsed) {

        public Result {
            leasedBy = Map.copyOf(leasedBy);
            freshBy = Map.copyOf(freshBy);
            survivorsBound = Map.copyOf(survivorsBound);
            survivorsMatching = Map.copyOf(survivorsMatching);
        }

        /** How many clients hold a lease at the end: the first ones and the new ones. */
        public int clients() {
            return leased.requested() + fresh.requested();
        }

        /**
         * True if every client leased, renewed or rebound to the same address, and the new ones
         * leased from the survivors alone; every DISCOVER drew one offer; no address went to two
         * clients; and each survivor holds every lease.
         */
        public boolean success() {
            return leased.success() && renewed.success() && fresh.success()
                    && renewedOwn + rebound == leased.requested() && rebound >= leasedBy.getOrDefault(killed, 0)
                    && !freshBy.containsKey(killed) && multipleOffers == 0 && offerChecks == clients()
                    && duplicates == 0 && survivorsBound.size() == NODES - 1
                    && survivorsBound.values().stream().allMatch(bound -> bound == clients())
                    && survivorsMatching.size() == NODES - 1
                    && survivorsMatching.values().stream().allMatch(matching -> matching == clients());
        }
    }

    private final int count;
    private final int concurrency;
    private final String storeType;
    private final PrintWriter out;
    /** When {@link #run} began, by {@link System#nanoTime()}. */
    private long started;
    /** Set when the JVM shuts down under the demo (Ctrl-C): the nodes are being killed, not failing. */
    private volatile boolean interrupted;
    /** What the client hears in the current phase; replaced between phases. */
    private volatile Heard heard = new Heard();

    /**
     * A demo with the default store, SQLite.
     *
     * @param count how many clients lease before the kill
     * @param concurrency how many exchanges are in flight at once
     * @param out where the progress and the summary go
     */
    public Demo(int count, int concurrency, PrintWriter out) {
        this(count, concurrency, NodeConfig.DEFAULT_STORE_TYPE, out);
    }

    /**
     * @param count how many clients lease before the kill; a third as many new ones (at least
     *     one) lease after it
     * @param concurrency how many exchanges are in flight at once
     * @param storeType the nodes' lease store, a type the class path provides (sqlite, memory)
     * @param out where the progress and the summary go
     */
    public Demo(int count, int concurrency, String storeType, PrintWriter out) {
        if (count < 1 || concurrency < 1) {
            throw new IllegalArgumentException("count and concurrency must be at least 1");
        }
        this.count = count;
        this.concurrency = concurrency;
        this.storeType = Objects.requireNonNull(storeType, "storeType");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** How many new clients lease after the kill, for {@code count} before it. */
    public static int newClients(int count) {
        return Math.max(1, count / 3);
    }

    /**
     * Starts the nodes, runs the clients, kills a node, checks, prints the summary, stops the
     * survivors and deletes the directory.
     *
     * @throws DemoException if the demo could not run at all: a socket or an address could not
     *     be bound, a node did not start, the nodes agreed on no leader; the message says which,
     *     and the nodes' last log lines have been printed
     */
    public Result run() throws DemoException, InterruptedException {
        started = System.nanoTime();
        Path directory = createDirectory();
        List<DemoNode> nodes = new CopyOnWriteArrayList<>();
        // An interrupted demo (Ctrl-C) must not leave its nodes running, nor its directory.
        Thread cleanup = new Thread(() -> {
            interrupted = true;
            for (DemoNode node : List.copyOf(nodes)) {
                try {
                    node.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            delete(directory);
        }, "dhcpcluster-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return runIn(directory, nodes);
        } finally {
            stop(nodes);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook runs anyway.
            }
            delete(directory);
        }
    }

    private Result runIn(Path directory, List<DemoNode> nodes) throws DemoException, InterruptedException {
        EventLoop loop = new EventLoop("dhcpcluster-demo-client");
        loop.startAsync().awaitRunning();
        try (DhcpClient client = DhcpClient.open(new InetSocketAddress("0.0.0.0", 0), loop, loop)) {
            client.observe(reply -> heard.add(reply));
            try {
                ClusterSecret.generate(directory.resolve(SECRET_FILE), false);
                for (int id = 1; id <= NODES; id++) {
                    nodes.add(DemoNode.plan(id, directory));
                }
            } catch (SecretException | IOException e) {
                throw new DemoException(e.getMessage(), e);
            }
            for (DemoNode node : nodes) {
                writeConfig(node, nodes, client.localPort(), directory);
            }
            try {
                return scenario(client, nodes, directory);
            } catch (DemoException | RuntimeException e) {
                printLogs(nodes);
                throw e;
            }
        } catch (IOException e) {
            throw new DemoException("the demo client could not bind a UDP port: " + e.getMessage(), e);
        } finally {
            loop.stopAsync().awaitTerminated();
        }
    }

    private Result scenario(DhcpClient client, List<DemoNode> nodes, Path directory)
            throws DemoException, InterruptedException {
        List<String> java = javaCommand();
        for (DemoNode node : nodes) {
            try {
                node.start(java);
            } catch (IOException e) {
                throw new DemoException("cannot start " + node + " (" + String.join(" ", java) + "): " + e.getMessage(),
                        e);
            }
        }
        JsonNode first = awaitServing(nodes);
        out.printf(Locale.ROOT, "demo: %d nodes on loopback sharing one pool of %d addresses in %s, leases in %s%n",
                NODES, first.path("pools").path(0).path("total").asLong(), SUBNET,
                "sqlite".equals(storeType) ? "SQLite in " + directory + " (deleted at the end)" : storeType);
        out.printf(Locale.ROOT, "nodes started in %.1f s: ", elapsed().toNanos() / 1e9);
        out.println(nodes.stream()
                .map(node -> node + " on udp " + node.dhcpEndpoint().getHostString() + ":"
                        + node.dhcpEndpoint().getPort() + " (pid " + node.pid() + ")")
                .collect(Collectors.joining(", ")));
        out.flush();
        int leader = awaitLeaderAndBlocks(nodes);

        List<InetSocketAddress> servers = nodes.stream().map(DemoNode::dhcpEndpoint).toList();
        Function<Ipv4Address, Integer> nodeOf = server -> nodes.stream().filter(node -> node.address().equals(server))
                .map(DemoNode::id).findFirst().orElse(0);

        // 1. Leases through all three.
        Heard leasing = listen();
        ClientReport leased = lease(client, servers, count, 1);
        Map<HardwareAddress, Heard.Acked> held = leasing.acks();
        Map<Integer, Integer> leasedBy = perNode(held.values(), nodeOf);
        out.printf(Locale.ROOT, "leased %d of %d addresses through a relay forwarding to all %d nodes: %s; %s%n",
                leased.obtained(), count, NODES, describe(leasedBy), leasing.describeOffers());
        printFailures(leased);
        if (held.isEmpty()) {
            throw new DemoException("no client got a lease: the nodes did not serve", null);
        }

        // 2. SIGKILL the node that granted the most.
        DemoNode victim = nodes.stream()
                .max(Comparator.comparingInt((DemoNode node) -> leasedBy.getOrDefault(node.id(), 0))
                        .thenComparingInt(DemoNode::id))
                .orElseThrow();
        long killedAt = System.nanoTime();
        victim.kill();
        out.printf(Locale.ROOT, "killed %s (pid %d) with SIGKILL: it had granted the most leases (%d)%n", victim,
                victim.pid(), leasedBy.getOrDefault(victim.id(), 0));
        out.flush();
        List<DemoNode> survivors = nodes.stream().filter(node -> node != victim).toList();

        // 3. Every client renews: RENEWING to its own node, REBINDING through the relay if it is silent.
        Heard renewing = listen();
        List<HeldLease> leases = held.entrySet().stream()
                .map(entry -> new HeldLease(entry.getKey(), entry.getValue().address(), entry.getValue().server()))
                .toList();
        ClientReport renewed = renew(client, servers, leases);
        long renewalsDone = System.nanoTime();
        int renewedOwn = 0;
        int rebound = 0;
        Map<Integer, Integer> reboundTo = new TreeMap<>();
        for (HeldLease lease : leases) {
            Heard.Acked answer = renewing.acks().get(lease.hardwareAddress());
            if (answer == null || !answer.address().equals(lease.address())) {
                continue;
            }
            if (answer.server().equals(lease.server())) {
                renewedOwn++;
            } else {
                rebound++;
                reboundTo.merge(nodeOf.apply(answer.server()), 1, Integer::sum);
            }
        }
        out.printf(Locale.ROOT, "renewed %d of %d on the same address: %d with the node that granted them, %d of %s's "
                + "rebound to the survivors (%s), all done %.1f s after the kill%n", renewedOwn + rebound, leases.size(),
                renewedOwn, rebound, victim, describe(reboundTo), (renewalsDone - killedAt) / 1e9);
        printFailures(renewed);

        // 4. New clients, from the survivors.
        int newClients = newClients(count);
        Heard joining = listen();
        ClientReport fresh = lease(client, servers, newClients, count + 1L);
        Map<Integer, Integer> freshBy = perNode(joining.acks().values(), nodeOf);
        out.printf(Locale.ROOT, "new clients: %d of %d served by the survivors (%s); %s%n", fresh.obtained(),
                newClients, describe(freshBy), joining.describeOffers());
        printFailures(fresh);

        // 5. No address twice, and each survivor holds every lease.
        Map<Ipv4Address, Set<HardwareAddress>> holders = new HashMap<>();
        Map<HardwareAddress, Ipv4Address> holding = new HashMap<>();
        held.forEach((mac, acked) -> holding.put(mac, acked.address()));
        renewing.acks().forEach((mac, acked) -> holding.put(mac, acked.address()));
        joining.acks().forEach((mac, acked) -> holding.put(mac, acked.address()));
        holding.forEach((mac, address) -> holders.computeIfAbsent(address, key -> new HashSet<>()).add(mac));
        int duplicates = (int) holders.values().stream().filter(macs -> macs.size() > 1).count()
                + leased.duplicates().size() + renewed.duplicates().size() + fresh.duplicates().size();
        int clients = count + newClients;
        Map<Integer, Long> survivorsBound = new TreeMap<>();
        Map<Integer, Long> survivorsMatching = new TreeMap<>();
        awaitLeases(survivors, holding, survivorsBound, survivorsMatching);
        out.printf(Locale.ROOT, "duplicates: %d (%d clients hold %d distinct addresses); the survivors list them all, "
                + "bound to the same clients: %s%n", duplicates, holding.size(), holders.size(),
                survivors.stream().map(node -> node + " " + survivorsMatching.getOrDefault(node.id(), 0L) + " of "
                        + holding.size() + " (" + survivorsBound.getOrDefault(node.id(), 0L) + " bound)")
                        .collect(Collectors.joining(", ")));

        int offerChecks = leasing.singleOffers() + joining.singleOffers();
        int multipleOffers = leasing.multipleOffers() + joining.multipleOffers();
        Result result = new Result(leader, leasedBy, victim.id(), leased, renewed, renewedOwn, rebound, fresh, freshBy,
                offerChecks, multipleOffers, duplicates, survivorsBound, survivorsMatching, elapsed());
        if (result.success()) {
            out.printf(Locale.ROOT, "demo OK in %.1f s: %d clients, every address unique, every lease kept after %s "
                    + "was killed%n", result.elapsed().toNanos() / 1e9, clients, victim);
        } else {
            out.printf(Locale.ROOT, "demo FAILED after %.1f s: see above%n", result.elapsed().toNanos() / 1e9);
            printLogs(nodes);
        }
        out.flush();
        return result;
    }

    /** Waits until every node answers {@code /status}; notes each one's DHCP port; returns node 1's status. */
    private JsonNode awaitServing(List<DemoNode> nodes) throws DemoException, InterruptedException {
        Map<Integer, JsonNode> statuses = new HashMap<>();
        poll("every node answers on its admin endpoint", nodes, () -> {
            for (DemoNode node : nodes) {
                if (!statuses.containsKey(node.id())) {
                    node.status().ifPresent(status -> statuses.put(node.id(), status));
                }
            }
            return statuses.size() == nodes.size();
        });
        for (DemoNode node : nodes) {
            node.dhcpPort(statuses.get(node.id()).path("transport").path("listen-port").asInt());
        }
        return statuses.get(1);
    }

    /**
     * Waits until every node follows one leader in one epoch with a majority present, then until
     * each, if its status shows what it holds ({@code cluster.address-space}), holds a current
     * grant of at least one block and one bucket. Returns the leader's id.
     */
    private int awaitLeaderAndBlocks(List<DemoNode> nodes) throws DemoException, InterruptedException {
        Map<Integer, JsonNode> clusters = new TreeMap<>();
        Check agreement = () -> {
            clusters.clear();
            for (DemoNode node : nodes) {
                Optional<JsonNode> status = node.status();
                if (status.isEmpty()) {
                    return false;
                }
                clusters.put(node.id(), status.get().path("cluster"));
            }
            return agreed(clusters.values());
        };
        poll("the nodes agree on a leader", nodes, agreement);
        Duration led = elapsed();
        poll("the nodes agree on a leader and each holds blocks of the pool", nodes,
                () -> agreement.holds() && clusters.values().stream().allMatch(Demo::holdsBlocks));
        Duration holding = elapsed();
        JsonNode any = clusters.values().iterator().next();
        boolean shown = clusters.values().stream().allMatch(cluster -> cluster.has("address-space"));
        out.printf(Locale.ROOT, "leader: node %d (epoch %d), %.1f s after the start; %s%n", any.path("leader").asInt(),
                any.path("epoch").asLong(), led.toNanos() / 1e9, shown
                        ? String.format(Locale.ROOT, "blocks/buckets held %.1f s later: %s",
                                holding.minus(led).toNanos() / 1e9, clusters.entrySet().stream()
                                        .map(entry -> "node " + entry.getKey() + " "
                                                + entry.getValue().path("address-space").path("blocks").size() + "/"
                                                + entry.getValue().path("address-space").path("buckets").asInt())
                                        .collect(Collectors.joining(", ")))
                        : "the nodes' status does not show their blocks, so the clients' retries wait for them");
        out.flush();
        return any.path("leader").asInt();
    }

    private static boolean agreed(Iterable<JsonNode> clusters) {
        Integer leader = null;
        Long epoch = null;
        for (JsonNode cluster : clusters) {
            if (!cluster.path("leader").isInt() || !cluster.path("majority-present").asBoolean()) {
                return false;
            }
            if (leader != null && (leader != cluster.path("leader").asInt() || epoch != cluster.path("epoch").asLong())) {
                return false;
            }
            leader = cluster.path("leader").asInt();
            epoch = cluster.path("epoch").asLong();
        }
        return leader != null;
    }

    /** True if the status shows a current grant of a block and a bucket, or does not show holdings at all. */
    private static boolean holdsBlocks(JsonNode cluster) {
        JsonNode space = cluster.path("address-space");
        if (space.isMissingNode()) {
            return true;
        }
        return space.path("grant-current").asBoolean(true) && space.path("blocks").size() > 0
                && space.path("buckets").asInt() > 0;
    }

    /**
     * Reads each survivor's leases until it lists every client's lease as the client holds it,
     * for a few seconds at most (a replicated change may reach the second survivor a moment after
     * the ACK): notes how many bound leases it lists and how many clients' leases match.
     */
    private void awaitLeases(List<DemoNode> survivors, Map<HardwareAddress, Ipv4Address> holding,
            Map<Integer, Long> bound, Map<Integer, Long> matching) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        do {
            bound.clear();
            matching.clear();
            for (DemoNode node : survivors) {
                Optional<Map<Ipv4Address, String>> leases = node.leases();
                if (leases.isEmpty()) {
                    continue;
                }
                bound.put(node.id(), leases.get().values().stream().filter(lease -> lease.startsWith("BOUND ")).count());
                matching.put(node.id(), holding.entrySet().stream()
                        .filter(entry -> ("BOUND " + entry.getKey()).equals(leases.get().get(entry.getValue())))
                        .count());
            }
            if (matching.size() == survivors.size()
                    && matching.values().stream().allMatch(count -> count == holding.size())) {
                return;
            }
            Thread.sleep(POLL.toMillis());
        } while (System.nanoTime() < deadline);
    }

    private ClientReport lease(DhcpClient client, List<InetSocketAddress> servers, int clients, long firstMac)
            throws DemoException, InterruptedException {
        LoadSettings settings = new LoadSettings(clients, concurrency, REQUEST_TIMEOUT, RETRIES, false, false,
                Optional.of(SUBNET), firstMac, RELAY);
        try {
            return client.run(servers, settings, settings.longestRun(), ack -> { });
        } catch (TimeoutException | ExecutionException e) {
            throw new DemoException("the clients did not finish: " + e, e);
        }
    }

    private ClientReport renew(DhcpClient client, List<InetSocketAddress> servers, List<HeldLease> leases)
            throws DemoException, InterruptedException {
        // All at once: the renewals are what the kill interrupts.
        LoadSettings settings = new LoadSettings(leases.size(), leases.size(), REQUEST_TIMEOUT, RETRIES, false, false,
                Optional.of(SUBNET), 1, RELAY);
        try {
            return client.renew(servers, leases, settings, UNICAST_RETRIES,
                    settings.longestRun().plus(REQUEST_TIMEOUT.multipliedBy(UNICAST_RETRIES + 1L)));
        } catch (TimeoutException | ExecutionException e) {
            throw new DemoException("the renewals did not finish: " + e, e);
        }
    }

    /** From now on, the replies the client hears are counted afresh. */
    private Heard listen() {
        Heard fresh = new Heard();
        heard = fresh;
        return fresh;
    }

    private static Map<Integer, Integer> perNode(Iterable<Heard.Acked> acks, Function<Ipv4Address, Integer> nodeOf) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (Heard.Acked acked : acks) {
            counts.merge(nodeOf.apply(acked.server()), 1, Integer::sum);
        }
        return counts;
    }

    private static String describe(Map<Integer, Integer> perNode) {
        if (perNode.isEmpty()) {
            return "none";
        }
        return perNode.entrySet().stream().map(entry -> "node " + entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", "));
    }

    private void printFailures(ClientReport report) {
        report.failures().stream().limit(5).forEach(failure -> out.println("  FAILED: " + failure));
        if (report.failures().size() > 5) {
            out.println("  FAILED: ... and " + (report.failures().size() - 5) + " more");
        }
        report.duplicates().stream().limit(5).forEach(duplicate -> out.println("  DUPLICATE: " + duplicate));
        out.flush();
    }

    private void printLogs(List<DemoNode> nodes) {
        if (interrupted) {
            return;
        }
        for (DemoNode node : nodes) {
            String state = node.exitValue().map(code -> "exited with status " + code).orElse("running");
            out.println("--- " + node + " (" + state + "), last lines of its log:");
            node.logTail(LOG_LINES).forEach(line -> out.println("  " + line));
        }
        out.flush();
    }

    /** A condition polled until it holds; a node that exits, or the deadline, ends the demo. */
    @FunctionalInterface
    private interface Check {
        boolean holds() throws InterruptedException;
    }

    private void poll(String what, List<DemoNode> nodes, Check check) throws DemoException, InterruptedException {
        long deadline = started + START_TIMEOUT.toNanos();
        while (!check.holds()) {
            if (interrupted) {
                throw new DemoException("interrupted; the nodes were killed", null);
            }
            for (DemoNode node : nodes) {
                if (node.exitValue().isPresent()) {
                    throw new DemoException(node + " exited with status " + node.exitValue().get() + " before "
                            + what, null);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new DemoException("not within " + START_TIMEOUT.toSeconds() + " s of the start: " + what, null);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * The command that runs a node: this JVM's own {@code java} and class path, with a small heap
     * and the quick compiler, since a demo node serves a few hundred requests.
     */
    private static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return List.of(java, "-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), MAIN);
    }

    /** Writes {@code node}'s config file, after loading it as the node will, so that a bad one fails here. */
    private void writeConfig(DemoNode node, List<DemoNode> nodes, int clientPort, Path directory) throws DemoException {
        String json = configJson(node.id(), node.address(), node.adminEndpoint(), node.peerEndpoint(),
                nodes.stream().filter(peer -> peer != node)
                        .collect(Collectors.toMap(DemoNode::id, DemoNode::peerEndpoint, (a, b) -> a, LinkedHashMap::new)),
                clientPort, storeType, node.dataDirectory(), directory.resolve(SECRET_FILE));
        try {
            Files.writeString(node.configFile(), json);
            new ConfigLoader().load(node.configFile());
        } catch (ConfigException e) {
            throw new DemoException(e.getMessage(), e);
        } catch (IOException e) {
            throw new DemoException("cannot write " + node.configFile() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A demo node's config: the JSON resource with the node's id, addresses, peers, ports, store
     * and directories filled in; every node gets the same {@code Dhcp4} section.
     *
     * @param clientPort the port the client receives on: the nodes' client port and relay port
     * @param peers the other nodes' ids and peer endpoints
     */
    static String configJson(int id, Ipv4Address address, String adminEndpoint, String peerEndpoint,
            Map<Integer, String> peers, int clientPort, String storeType, Path dataDirectory, Path secretFile) {
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = Demo.class.getResourceAsStream(CONFIG_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the demo config " + CONFIG_RESOURCE + " is missing from the build");
            }
            ObjectNode file = (ObjectNode) json.readTree(in);
            ((ObjectNode) file.get("node")).put("id", id).put("data-directory", dataDirectory.toString());
            ((ObjectNode) file.get("transport")).put("listen-address", address.toString())
                    .put("client-port", clientPort).put("relay-port", clientPort);
            ((ObjectNode) file.get("lease-store")).put("type", storeType);
            ((ObjectNode) file.get("admin")).put("listen", adminEndpoint);
            ObjectNode cluster = (ObjectNode) file.get("cluster");
            cluster.put("listen", peerEndpoint).put("secret-file", secretFile.toString());
            ArrayNode list = cluster.putArray("peers");
            peers.forEach((peer, endpoint) -> list.addObject().put("id", peer).put("address", endpoint));
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a config made by {@link #configJson} as a node does. */
    static NodeConfig parse(String json) throws ConfigException {
        return new ConfigLoader().parse(json, CONFIG_RESOURCE);
    }

    private static Path createDirectory() throws DemoException {
        try {
            return Files.createTempDirectory("dhcpcluster-demo-");
        } catch (IOException e) {
            throw new DemoException("cannot create a temporary directory for the demo nodes: " + e.getMessage(), e);
        }
    }

    /** SIGTERM to the nodes still running, all at once, then each waited for. */
    private void stop(List<DemoNode> nodes) throws InterruptedException {
        List<DemoNode> running = nodes.stream().filter(DemoNode::alive).toList();
        if (running.isEmpty()) {
            return;
        }
        running.forEach(DemoNode::terminate);
        for (DemoNode node : running) {
            if (!node.awaitExit(15)) {
                out.println(node + " did not stop on SIGTERM within 15 s and was killed");
            }
        }
        out.println("nodes stopped");
        out.flush();
    }

    /** Deletes the demo's directory and everything in it (configs, logs, stores, secret). */
    private void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            out.println("could not delete the demo's directory " + directory + ": " + e.getMessage());
            out.flush();
        }
    }

    /**
     * What the client heard in one phase, from every node, whatever became of it: which nodes
     * offered to each client, and the last ACK each client got. Filled on the client's receiving
     * thread, read once the phase is over.
     */
    private static final class Heard {

        /** An ACK: the address and the node (server identifier) that sent it. */
        record Acked(Ipv4Address address, Ipv4Address server) {
        }

        private final Map<HardwareAddress, Set<Ipv4Address>> offers = new ConcurrentHashMap<>();
        private final Map<HardwareAddress, Acked> acks = new ConcurrentHashMap<>();

        void add(DhcpMessage reply) {
            Optional<DhcpMessageType> type = reply.messageType();
            Optional<Ipv4Address> server = reply.options().address(OptionCode.SERVER_IDENTIFIER);
            if (type.isEmpty() || server.isEmpty()) {
                return;
            }
            if (type.get() == DhcpMessageType.OFFER) {
                offers.computeIfAbsent(reply.hardwareAddress(), key -> ConcurrentHashMap.newKeySet()).add(server.get());
            } else if (type.get() == DhcpMessageType.ACK && !reply.yiaddr().isZero()) {
                acks.put(reply.hardwareAddress(), new Acked(reply.yiaddr(), server.get()));
            }
        }

        Map<HardwareAddress, Acked> acks() {
            return Map.copyOf(acks);
        }

        int singleOffers() {
            return (int) offers.values().stream().filter(servers -> servers.size() == 1).count();
        }

        int multipleOffers() {
            return (int) offers.values().stream().filter(servers -> servers.size() > 1).count();
        }

        String describeOffers() {
            int multiple = multipleOffers();
            return multiple == 0
                    ? "each DISCOVER drew one offer, from one node (" + singleOffers() + " clients)"
                    : multiple + " clients got offers from several nodes";
        }
    }
}
