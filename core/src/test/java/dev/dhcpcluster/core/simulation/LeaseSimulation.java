package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.core.cluster.LeaseCatchUp;
import dev.dhcpcluster.core.cluster.LeaseReplication;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * Lease replication under faults: N nodes (3 or 5), each with its own durable lease map on a
 * simulated disk, serving simulated DHCP clients, on the {@link SimulatedNetwork} of the election's
 * simulation. The clients record every ACK they receive; the {@link LeaseInvariant}s judge that
 * history and the disks after every step.
 *
 * <h2>The cluster modelled</h2>
 * <ul>
 * <li>Static ownership: node {@code i} allocates new addresses only from its own fixed slice of
 *     {@value #SLICE} addresses, so allocation itself never conflicts. Any node renews or releases
 *     a lease it holds (the client asks a node at random).
 * <li>A node answers a bind or renew with an ACK only when its {@link LeaseReplication} reports the
 *     change committed; a refused change gets a NAK, and the owner leaves that address alone for
 *     {@value #REFUSED_BACKOFF_MS} ms.
 * <li>An address returns to its owner's free set when its lease is released, or
 *     {@value #GRACE_MS} ms after its lease expired, on the owner's own clock. Leases last
 *     {@value #LEASE_MS} ms; clocks run up to 100 ppm fast or slow from one origin.
 * <li>A node's table is what it wrote (durable or not); a crash keeps only the disk; a wiped disk
 *     restarts its node empty, and that node then replicates as a recovering node (see
 *     {@link LeaseReplication}) and serves no client until its {@link LeaseCatchUp} has read
 *     complete snapshots from enough peers; then it votes again. A crash before every address
 *     it did not settle at its catch-up is settled makes it catch up again. In one run in three, one node loses its disk (never more).
 * </ul>
 *
 * <h2>Faults, until {@value #FAULTS_END_MS} ms</h2>
 * Crashes and restarts, wiped disks, drops, duplicates and delays, partitions into two groups, an
 * isolated node, one cut link between two nodes, and storage that stalls on every node (writes
 * take up to 3 s, longer than a crash and restart: the peers' answers to a writer's changes then
 * reach its next run, which may have given another change the same version). The cut link is the dangerous race of the
 * issue: a client renews through one node while the address's owner, cut from that node but not
 * from the rest, sees the old lease expire and reuses the address. Then every node comes back, the
 * network heals, and the clients must be served within {@value #LIVENESS_BOUND_MS} ms of asking
 * (judged while more nodes than a bare majority still have their disk: see {@link #livenessJudged()}).
 *
 * <h2>When each invariant is checked</h2>
 * {@link LeaseInvariant#NO_ADDRESS_HELD_TWICE} at every ACK a client takes (the only step at which a
 * client starts to hold an address); {@link LeaseInvariant#ACKED_LEASE_ON_MAJORITY_OF_DISKS} after
 * every step, for every lease a client holds; {@link LeaseInvariant#CLIENTS_SERVED_AFTER_FAULTS} at
 * every ACK after the faults stopped, and for every client still waiting at the end of the run
 * (waiting counted from when it started asking, or from the end of the faults if later).
 */
public final class LeaseSimulation {

    static final int SLICE = 24;
    static final long LEASE_MS = 4_000;
    static final long GRACE_MS = 500;
    static final long REFUSED_BACKOFF_MS = 2_000;
    static final long FAULTS_END_MS = 20_000;
    static final long RUN_END_MS = 30_000;
    static final long LIVENESS_BOUND_MS = 3_000;
    private static final long CLIENT_TIMEOUT_MS = 300;
    private static final Duration RETRANSMIT = Duration.ofMillis(50);
    private static final long EPOCH = 1;
    private static final long MS = 1_000_000L;
    private static final long ORIGIN_MILLIS = 1_800_000_000_000L;

    /**
     * @param factory builds each node's replication
     * @param catchUp builds each node's catch-up
     * @param replay the command that replays a seed, for failure messages
     */
    public record Settings(ReplicationFactory factory, CatchUpFactory catchUp, LongFunction<String> replay) {

        public static Settings defaults(LongFunction<String> replay) {
            return new Settings(ReplicationFactory.PRODUCTION, CatchUpFactory.PRODUCTION, replay);
        }

        public Settings withFactory(ReplicationFactory other) {
            return new Settings(other, catchUp, replay);
        }

        public Settings withCatchUp(CatchUpFactory other) {
            return new Settings(factory, other, replay);
        }
    }

    /**
     * What one run did.
     *
     * @param reusesRefused how many times an owner's reuse of an address another client held was refused: a
     *     replica held a later version of that lease than the owner (mostly a renewal through another node)
     * @param livenessJudged false if too few nodes still vote for the liveness bound to be judged (see
     *     {@link LeaseSimulation#livenessJudged()})
     * @param slowestServiceNanos the longest a client waited for an ACK among the requests it made after the faults stopped
     * @param recoveries how many times a node that lost its disk caught up (again after a crash before it settled)
     * @param slowestRecoveryNanos the longest a catch-up took, from the restart after the loss
     * @param unsettledAtCatchUp how many addresses were unsettled (see {@link LeaseCatchUp}) when their node caught up
     */
    public record Result(long seed, int nodes, long steps, long virtualNanos, int acks, int refusals,
            int reusesRefused, Map<String, Integer> faults, long slowestServiceNanos, boolean livenessJudged,
            int recoveries, long slowestRecoveryNanos, int unsettledAtCatchUp) {
    }

    /** Runs one seed; throws {@link LeaseSimulationFailure} at the first broken invariant. */
    public static Result run(long seed, Settings settings) {
        return new LeaseSimulation(seed, settings).run();
    }

    private enum Kind { BIND, RENEW, RELEASE }

    private record Request(int client, Kind kind, Ipv4Address address, long xid, long sentAt) {
    }

    /** One ACK a client took: it holds {@code address} from {@code start} to {@code end} unless it let go at {@code droppedAt}. */
    private static final class Holding {
        final int client;
        final Ipv4Address address;
        final LeaseVersion version;
        final long start;
        final long end;
        final long proposedAt;
        long droppedAt = Long.MAX_VALUE;

        Holding(int client, Ipv4Address address, LeaseVersion version, long start, long end, long proposedAt) {
            this.client = client;
            this.address = address;
            this.version = version;
            this.start = start;
            this.end = end;
            this.proposedAt = proposedAt;
        }

        long effectiveEnd() {
            return Math.min(end, droppedAt);
        }

        @Override
        public String toString() {
            return "client-" + client + " holds " + address + " at version " + version + " from " + start / 1e9
                    + " s to " + effectiveEnd() / 1e9 + " s";
        }
    }

    private final long seed;
    private final Settings settings;
    private final SplittableRandom random;
    private final EventQueue queue = new EventQueue();
    private final Trace trace = new Trace(Integer.getInteger("simulation.trace", 40));
    private final int size;
    private final int majority;
    private final Set<NodeId> members = new LinkedHashSet<>();
    private final SimulatedNetwork network;
    private final Node[] nodes;
    private final Client[] clients;
    private final LinkCuts links;
    private final BadNetworkSpells badNetwork;
    private final Map<Ipv4Address, List<Holding>> history = new HashMap<>();
    private final List<Long> wipes = new ArrayList<>();
    /** Until when (virtual nanoseconds) every disk is slow: see the slow-disks fault. */
    private long slowDisksUntil = Long.MIN_VALUE;
    private final Map<String, Integer> faults = new TreeMap<>();
    /** Whether one node of this run loses its disk: one run in three, so that most runs also judge liveness. */
    private final boolean losesADisk;
    private int wipedNodes;
    private int recoveries;
    private long slowestRecovery;
    private int unsettledAtCatchUp;
    private int acks;
    private int refusals;
    private int reusesRefused;
    private boolean faultsOver;
    private long slowestService;

    private LeaseSimulation(long seed, Settings settings) {
        this.seed = seed;
        this.settings = settings;
        this.random = new SplittableRandom(seed);
        this.size = seed % 2 == 0 ? 5 : 3;
        this.majority = size / 2 + 1;
        this.losesADisk = random.nextInt(3) == 0;
        List<NodeId> ids = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            ids.add(new NodeId(i));
        }
        members.addAll(ids);
        this.network = new SimulatedNetwork(queue, random.split(), ids);
        this.links = new LinkCuts(queue, network, ids);
        this.badNetwork = new BadNetworkSpells(queue, network);
        this.nodes = new Node[size];
        for (int i = 0; i < size; i++) {
            nodes[i] = new Node(i, new SimulatedClock(queue, random.nextLong(-100, 101), ORIGIN_MILLIS));
        }
        this.clients = new Client[size * 3];
        for (int c = 0; c < clients.length; c++) {
            clients[c] = new Client(c);
        }
    }

    private Result run() {
        for (Node node : nodes) {
            node.start();
        }
        for (Client client : clients) {
            client.begin(random.nextLong(0, 1_000 * MS));
        }
        queue.after(random.nextLong(100 * MS, 1_000 * MS), -1, "fault", null, this::nextFault);
        queue.after(FAULTS_END_MS * MS, -1, "faults-end", null, this::endFaults);
        long steps = 0;
        EventQueue.Event event;
        while ((event = queue.next(RUN_END_MS * MS)) != null) {
            trace.step(event);
            event.run();
            steps++;
            checkDurability();
        }
        for (Client client : clients) {
            client.checkServedAtEnd();
        }
        return new Result(seed, size, steps, queue.now(), acks, refusals, reusesRefused, faults, slowestService,
                livenessJudged(), recoveries, slowestRecovery, unsettledAtCatchUp);
    }

    // ---- invariants -------------------------------------------------------------------------

    private void fail(LeaseInvariant invariant, String detail) {
        throw new LeaseSimulationFailure(invariant, seed, "lease simulation seed " + seed + " (" + size
                + " nodes) broke " + invariant + " at " + queue.now() / 1e9 + " s: " + detail + "\nnodes:\n" + nodesNow()
                + "last events:\n"
                + trace.recent() + "\nreplay: " + settings.replay().apply(seed));
    }

    /**
     * Whether {@link LeaseInvariant#CLIENTS_SERVED_AFTER_FAULTS} is judged now: only while more
     * nodes than a bare majority vote (have not lost their disk, or have caught up since). With
     * exactly a majority voting (3 nodes, one still catching up), every change needs every voting
     * node, so an address on which they hold different versions (a writer crashed before telling
     * one of them that its change was committed, or a minority holds an uncommitted one) takes no
     * change until the lost node has caught up. Safety is judged in every run.
     */
    private boolean livenessJudged() {
        int voting = 0;
        for (Node node : nodes) {
            if (!node.recovering || node.caughtUp) {
                voting++;
            }
        }
        return voting > majority;
    }

    /** Where each node stands, for a failure message. */
    private String nodesNow() {
        StringBuilder text = new StringBuilder();
        for (Node node : nodes) {
            long now = node.clock.millis();
            int free = 0;
            int held = 0;
            int backingOff = 0;
            for (Ipv4Address address : node.slice) {
                Lease lease = node.table.get(address);
                if (node.refusedUntil.getOrDefault(address, Long.MIN_VALUE) > now) {
                    backingOff++;
                } else if (lease != null && lease.holdsAddressAt(Instant.ofEpochMilli(now - GRACE_MS))) {
                    held++;
                } else {
                    free++;
                }
            }
            text.append("  ").append(node.id).append(node.up ? " up" : " down").append(node.recovering ? ", recovering" : "")
                    .append(", own slice: ").append(free).append(" free, ").append(held).append(" held, ")
                    .append(backingOff).append(" refused lately; changes in flight ")
                    .append(node.replication == null ? 0 : node.replication.inFlight()).append('\n');
        }
        return text.toString();
    }

    /** (a) A client took an ACK: no other client may hold the address now. */
    private void recordAck(Holding holding) {
        List<Holding> list = history.computeIfAbsent(holding.address, a -> new ArrayList<>());
        long now = queue.now();
        list.removeIf(h -> h.effectiveEnd() <= now);
        for (Holding other : list) {
            if (other.client != holding.client) {
                fail(LeaseInvariant.NO_ADDRESS_HELD_TWICE, holding + " while " + other);
            }
        }
        list.add(holding);
        acks++;
    }

    /** (b) Every lease a client holds now is on a majority of disks, counting disks wiped since it was proposed. */
    private void checkDurability() {
        long now = queue.now();
        for (Client client : clients) {
            Holding holding = client.holding;
            if (holding == null || holding.effectiveEnd() <= now) {
                continue;
            }
            int holders = 0;
            for (Node node : nodes) {
                Lease onDisk = node.disk.get(holding.address);
                // The same version counts only with the same client: a writer that restarted can reuse a version.
                if (onDisk != null && (onDisk.version().isAfter(holding.version)
                        || onDisk.version().equals(holding.version)
                                && onDisk.clientKey().equals(clients[holding.client].key))) {
                    holders++;
                }
            }
            int wiped = 0;
            for (long at : wipes) {
                if (at >= holding.proposedAt) {
                    wiped++;
                }
            }
            if (holders == 0 || holders + wiped < majority) {
                fail(LeaseInvariant.ACKED_LEASE_ON_MAJORITY_OF_DISKS, holding + " is on " + holders + " disks ("
                        + wiped + " wiped since it was proposed), a majority is " + majority);
            }
        }
    }

    // ---- faults -----------------------------------------------------------------------------

    private void count(String fault) {
        faults.merge(fault, 1, Integer::sum);
    }

    private void nextFault() {
        if (faultsOver) {
            return;
        }
        int pick = random.nextInt(100);
        if (pick < 20) {
            Node node = nodes[random.nextInt(size)];
            if (node.up) {
                count("crash");
                node.crash();
                restartLater(node, random.nextLong(200 * MS, 3_000 * MS));
            }
        } else if (pick < 27) {
            Node node = nodes[random.nextInt(size)];
            if (losesADisk && wipedNodes < 1 && !node.recovering) {
                count("disk-lost");
                wipedNodes++;
                node.wipe();
                wipes.add(queue.now());
                restartLater(node, random.nextLong(200 * MS, 2_000 * MS));
            }
        } else if (pick < 57) {
            // The race of the issue: two nodes that cannot talk while both talk to the rest.
            int[][] link = LinkCuts.oneLink(random, size);
            count("cut-link");
            links.cutFor(link, random.nextLong(500 * MS, 6_000 * MS));
        } else if (pick < 72) {
            count("partition");
            links.cutFor(LinkCuts.partition(random, size), random.nextLong(500 * MS, 6_000 * MS));
        } else if (pick < 80) {
            count("isolate");
            links.cutFor(LinkCuts.isolation(random, size), random.nextLong(500 * MS, 6_000 * MS));
        } else if (pick < 86) {
            // Storage that stalls on every node for longer than a writer takes to crash and restart: the peers'
            // answers to the writer's changes reach its next run, which may have given another change the same
            // version.
            count("slow-disks");
            slowDisksUntil = queue.now() + random.nextLong(500 * MS, 4_000 * MS);
        } else {
            count("bad-network");
            badNetwork.begin(random, 60 * MS);
        }
        queue.after(random.nextLong(200 * MS, 1_500 * MS), -1, "fault", null, this::nextFault);
    }

    private void restartLater(Node node, long delay) {
        queue.after(delay, node.index, "restart", null, () -> {
            if (!node.up && !faultsOver) {
                node.start();
            }
        });
    }

    private void endFaults() {
        faultsOver = true;
        links.healAll();
        network.linksChanged();
        badNetwork.endAll();
        for (Node node : nodes) {
            if (!node.up) {
                node.start();
            }
        }
    }

    // ---- messages between clients and nodes --------------------------------------------------

    /** Client traffic goes through the network's current conditions too (drops and delays), but no partition. */
    private void toNode(Request request) {
        SimulatedNetwork.Conditions now = network.conditions();
        if (now.drop() > 0 && random.nextDouble() < now.drop()) {
            return;
        }
        int target = Math.floorMod(request.xid, size);
        Node node = nodes[target];
        int incarnation = node.incarnation;
        queue.after(delay(now), target, "request", request.kind + " xid " + request.xid + " client-" + request.client
                + (request.address == null ? "" : " " + request.address), () -> {
                    if (node.up && node.incarnation == incarnation) {
                        node.handle(request);
                    }
                });
    }

    private void toClient(Request request, Optional<Lease> ack) {
        SimulatedNetwork.Conditions now = network.conditions();
        if (now.drop() > 0 && random.nextDouble() < now.drop()) {
            return;
        }
        Client client = clients[request.client];
        queue.after(delay(now), -1, ack.isPresent() ? "ack" : "nak", "client-" + request.client + " xid " + request.xid
                + ack.map(l -> " " + l.address() + " " + l.version()).orElse(""), () -> client.reply(request, ack));
    }

    private long delay(SimulatedNetwork.Conditions conditions) {
        return conditions.minDelay() == conditions.maxDelay() ? conditions.minDelay()
                : random.nextLong(conditions.minDelay(), conditions.maxDelay() + 1);
    }

    // ---- nodes --------------------------------------------------------------------------------

    private final class Node implements LeaseReplication.Replica, PeerHandler {
        final int index;
        final NodeId id;
        final SimulatedClock clock;
        /** What survives a crash: the durable leases. */
        final Map<Ipv4Address, Lease> disk = new HashMap<>();
        final List<Ipv4Address> slice = new ArrayList<>();
        Map<Ipv4Address, Lease> table = new HashMap<>();
        final Map<Ipv4Address, Long> refusedUntil = new HashMap<>();
        SimulatedScheduler scheduler;
        LeaseReplication replication;
        LeaseCatchUp catchUp;
        boolean up;
        /**
         * The durable record that the disk was lost: from the loss until every address is settled after the catch-up
         * (see {@link LeaseCatchUp}); a node that restarts with it recovers again.
         */
        boolean recovering;
        /** True once this incarnation caught up, or never had to. */
        boolean caughtUp;
        /** When (virtual nanoseconds) this incarnation began to recover. */
        long recoveringSince = -1;
        int incarnation;

        Node(int index, SimulatedClock clock) {
            this.index = index;
            this.id = new NodeId(index + 1);
            this.clock = clock;
            for (int k = 0; k < SLICE; k++) {
                slice.add(Ipv4Address.of(0xC6120100 + index * SLICE + k + 1));
            }
        }

        void start() {
            incarnation++;
            table = new HashMap<>(disk);
            refusedUntil.clear();
            scheduler = new SimulatedScheduler(queue, clock, index);
            replication = settings.factory().create(id, members, scheduler, network.transport(id), this, RETRANSMIT,
                    () -> EPOCH, recovering);
            caughtUp = !recovering;
            recoveringSince = queue.now();
            catchUp = settings.catchUp().create(id, members, scheduler, network.transport(id), replication,
                    this::leasesAfter, LeaseSimulation.this::inSomeSlice, () -> EPOCH, () -> EPOCH, RETRANSMIT, () -> {
                        if (!caughtUp) {
                            caughtUp = true;
                            recoveries++;
                            slowestRecovery = Math.max(slowestRecovery, queue.now() - recoveringSince);
                            for (long at = 0xC6120101L; at < 0xC6120101L + (long) size * SLICE; at++) {
                                if (replication.unsettled(Ipv4Address.of((int) at))) {
                                    unsettledAtCatchUp++;
                                }
                            }
                        }
                    }, () -> recovering = false, (peer, why) -> {
                        throw new IllegalStateException(id + " refused a page of " + peer + ", a correct node: " + why);
                    });
            up = true;
            network.attach(id, this);
            catchUp.start();
        }

        /** The snapshot this node serves: its table, written or durable, in address order. */
        private List<Lease> leasesAfter(Optional<Ipv4Address> after, int limit) {
            TreeMap<Ipv4Address, Lease> inOrder = new TreeMap<>(table);
            return after.map(cursor -> inOrder.tailMap(cursor, false)).orElse(inOrder).values().stream().limit(limit)
                    .toList();
        }

        void crash() {
            scheduler.kill();
            up = false;
            caughtUp = !recovering;
            replication = null;
            network.detach(id);
        }

        void wipe() {
            if (up) {
                crash();
            }
            disk.clear();
            recovering = true;
            caughtUp = false;
        }

        @Override
        public Optional<Lease> current(Ipv4Address address) {
            return Optional.ofNullable(table.get(address));
        }

        @Override
        public void write(Lease lease, Runnable durable) {
            table.merge(lease.address(), lease, LeaseSimulation::higher);
            long latency = queue.now() < slowDisksUntil && !faultsOver ? random.nextLong(100 * MS, 3_000 * MS)
                    : random.nextLong(100_000, 3 * MS);
            scheduler.schedule(Duration.ofNanos(latency), () -> {
                disk.merge(lease.address(), lease, LeaseSimulation::higher);
                durable.run();
            });
        }

        @Override
        public void received(PeerMessage message) {
            replication.received(message);
            catchUp.received(message);
        }

        @Override
        public void connected(NodeId peer) {
            catchUp.connected(peer);
        }

        @Override
        public void disconnected(NodeId peer) {
            catchUp.disconnected(peer);
        }

        void handle(Request request) {
            long now = clock.millis();
            Client client = clients[request.client];
            switch (request.kind) {
                case BIND -> {
                    if (replication.recovering()) {
                        toClient(request, Optional.empty());
                        return;
                    }
                    for (Ipv4Address address : slice) {
                        Lease current = table.get(address);
                        if (refusedUntil.getOrDefault(address, Long.MIN_VALUE) > now || replication.changing(address)
                                || replication.unsettled(address)
                                || current != null && current.holdsAddressAt(Instant.ofEpochMilli(now - GRACE_MS))) {
                            continue;
                        }
                        Lease lease = new Lease(address, client.key, client.mac, Optional.empty(), LeaseState.BOUND,
                                Instant.ofEpochMilli(now + LEASE_MS), current == null ? LeaseVersion.first(EPOCH, id)
                                        : current.version().next(EPOCH, id));
                        boolean reuse = current != null && !current.clientKey().equals(client.key);
                        propose(request, lease, Optional.ofNullable(current), reuse);
                        return;
                    }
                    toClient(request, Optional.empty());
                }
                case RENEW, RELEASE -> {
                    Lease current = table.get(request.address);
                    if (current == null || current.state() != LeaseState.BOUND || !current.clientKey().equals(client.key)
                            || !current.holdsAddressAt(Instant.ofEpochMilli(now))) {
                        if (request.kind == Kind.RENEW) {
                            toClient(request, Optional.empty());
                        }
                        return;
                    }
                    Lease lease = request.kind == Kind.RENEW
                            ? current.withState(LeaseState.BOUND, Instant.ofEpochMilli(now + LEASE_MS), EPOCH, id)
                            : current.withState(LeaseState.RELEASED, Instant.ofEpochMilli(now), EPOCH, id);
                    propose(request, lease, Optional.of(current), false);
                }
                default -> throw new IllegalStateException();
            }
        }

        /** @param reuse true if the owner hands out an address another client held: refused, it is the race of the issue */
        private void propose(Request request, Lease lease, Optional<Lease> replaced, boolean reuse) {
            long proposedAt = queue.now();
            replication.propose(lease, replaced, outcome -> {
                if (request.kind == Kind.RELEASE) {
                    return;
                }
                if (outcome == LeaseReplication.Outcome.COMMITTED) {
                    toClient(request, Optional.of(lease), proposedAt);
                } else {
                    refusals++;
                    if (reuse) {
                        reusesRefused++;
                    }
                    refusedUntil.put(lease.address(), clock.millis() + REFUSED_BACKOFF_MS);
                    toClient(request, Optional.empty());
                }
            });
        }

        private void toClient(Request request, Optional<Lease> ack, long proposedAt) {
            clients[request.client].proposedAt.put(request.xid, proposedAt);
            LeaseSimulation.this.toClient(request, ack);
        }

        private void toClient(Request request, Optional<Lease> ack) {
            LeaseSimulation.this.toClient(request, ack);
        }
    }

    /** True for an address of some node's slice: the pools of the simulated cluster. */
    private boolean inSomeSlice(Ipv4Address address) {
        long first = 0xC6120101L;
        long at = address.toUnsignedLong();
        return at >= first && at < first + (long) size * SLICE;
    }

    private static Lease higher(Lease kept, Lease other) {
        return other.version().isAfter(kept.version()) ? other : kept;
    }

    // ---- clients ------------------------------------------------------------------------------

    private final class Client {
        final int index;
        final HardwareAddress mac;
        final ClientKey key;
        final Map<Long, Long> proposedAt = new HashMap<>();
        /** The lease the client uses now, or null. */
        Holding holding;
        /** The request being made: its kind and the xids sent for it, and since when the client waits. */
        Kind attempt;
        final Map<Long, Long> sentXids = new HashMap<>();
        long waitingSince = -1;
        EventQueue.Event timer;
        long nextXid;

        Client(int index) {
            this.index = index;
            this.mac = HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, (byte) (index >> 8), (byte) index});
            this.key = ClientKey.ofHardware(mac);
            this.nextXid = random.nextLong(0, 1_000_000) * size;
        }

        void begin(long delay) {
            schedule(delay, this::bind);
        }

        private void schedule(long delay, Runnable action) {
            if (timer != null) {
                timer.cancel();
            }
            timer = queue.after(delay, -1, "client", "client-" + index, action);
        }

        private void bind() {
            if (waitingSince < 0) {
                // A new need: replies to the requests of an earlier one no longer count.
                waitingSince = queue.now();
                sentXids.clear();
            }
            attempt = Kind.BIND;
            send();
        }

        private void renew() {
            waitingSince = queue.now();
            attempt = Kind.RENEW;
            sentXids.clear();
            send();
        }

        private void send() {
            if (attempt == Kind.RENEW && holding.end <= queue.now()) {
                // The lease ran out before any node renewed it: start again.
                holding = null;
                bind();
                return;
            }
            long xid = nextXid + random.nextInt(size);
            nextXid += size;
            sentXids.put(xid, queue.now());
            toNode(new Request(index, attempt, attempt == Kind.RENEW ? holding.address : null, xid, queue.now()));
            schedule(CLIENT_TIMEOUT_MS * MS, this::send);
        }

        void reply(Request request, Optional<Lease> ack) {
            Long sentAt = sentXids.get(request.xid);
            if (attempt == null || sentAt == null) {
                return;
            }
            long now = queue.now();
            if (ack.isEmpty()) {
                if (attempt == Kind.RENEW) {
                    holding.droppedAt = now;
                    holding = null;
                }
                schedule(10 * MS, this::bind);
                attempt = null;
                return;
            }
            Lease lease = ack.get();
            long end = sentAt + LEASE_MS * MS;
            if (end <= now) {
                return;
            }
            if (holding != null) {
                holding.droppedAt = Math.min(holding.droppedAt, now);
            }
            holding = new Holding(index, lease.address(), lease.version(), now, end, proposedAt.remove(request.xid));
            recordAck(holding);
            if (faultsOver && livenessJudged()) {
                long waited = now - Math.max(waitingSince, FAULTS_END_MS * MS);
                slowestService = Math.max(slowestService, waited);
                if (waited > LIVENESS_BOUND_MS * MS) {
                    fail(LeaseInvariant.CLIENTS_SERVED_AFTER_FAULTS, "client-" + index + " waited " + waited / 1e9
                            + " s for an ACK, the bound is " + LIVENESS_BOUND_MS / 1e3 + " s");
                }
            }
            attempt = null;
            waitingSince = -1;
            if (random.nextInt(100) < 15) {
                schedule(random.nextLong(0, LEASE_MS * MS / 2), this::release);
            } else {
                schedule(Math.max(0, sentAt + LEASE_MS * MS * random.nextLong(40, 61) / 100 - now), this::renew);
            }
        }

        private void release() {
            Holding let = holding;
            let.droppedAt = queue.now();
            holding = null;
            long xid = nextXid + random.nextInt(size);
            nextXid += size;
            toNode(new Request(index, Kind.RELEASE, let.address, xid, queue.now()));
            schedule(random.nextLong(200 * MS, 1_500 * MS), this::bind);
        }

        void checkServedAtEnd() {
            if (attempt != null && waitingSince >= 0 && livenessJudged()) {
                long waited = queue.now() - Math.max(waitingSince, FAULTS_END_MS * MS);
                if (waited > LIVENESS_BOUND_MS * MS) {
                    fail(LeaseInvariant.CLIENTS_SERVED_AFTER_FAULTS, "client-" + index + " has waited " + waited / 1e9
                            + " s for an ACK at the end of the run, the bound is " + LIVENESS_BOUND_MS / 1e3 + " s");
                }
            }
        }
    }
}
