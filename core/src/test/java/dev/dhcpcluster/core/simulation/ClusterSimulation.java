package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.core.config.LeaseTimes;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.DhcpServer;
import dev.dhcpcluster.core.dhcp.MalformedPacketException;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.core.dhcp.TestPackets;
import dev.dhcpcluster.core.election.BullyElection;
import dev.dhcpcluster.core.election.ElectionTimers;
import dev.dhcpcluster.core.member.ClusterMember;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.WriteCompletion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * The whole cluster member under faults: N nodes (3 or 5), each an incarnation of its
 * {@link BullyElection}, its {@link ClusterMember} (replicated lease store, grants of blocks and
 * buckets) and a real {@link DhcpServer}, composed as the node's runtime composes them, on the
 * {@link SimulatedNetwork}. Simulated DHCP clients speak real DHCP to them, encoded and decoded by
 * {@link DhcpCodec}, over one broadcast link: a DISCOVER, a SELECTING REQUEST and a broadcast
 * REBINDING reach every live node, a RENEWING REQUEST only the node whose server identifier the
 * client holds (each node identifies itself by its own address). The {@link LeaseInvariant}s judge
 * the clients' ACKs and the nodes' disks after every step.
 *
 * <h2>A run</h2>
 * <ol>
 * <li>{@value #QUIET_MS} ms without faults: the nodes start, elect, grant, and the clients bind;
 *     {@link LeaseInvariant#ONE_OFFER_PER_DISCOVER} is judged for every DISCOVER of this phase.
 * <li>Faults for 2 to {@value #MAX_FAULTS_MS} ms: crashes and restarts, the loss of a minority's
 *     lease stores (the node restarts with an empty store and replicates as a recovering node),
 *     partitions, an isolated node, a cut link between two nodes, storage that stalls, and a
 *     network that drops, duplicates and delays (peer messages and client traffic alike).
 * <li>Then every node is up, the network is calm and whole, and every client that has no lease must
 *     get one within {@value #SERVICE_BOUND_MS} ms, counted from when it lost its lease or from the
 *     end of the faults, whichever is later: the election settles (up to 3 s), a new leader waits
 *     its takeover (5.66 s) before it hands out a dead node's share, grants follow within 0.4 s, a
 *     client's DISCOVER backs off to {@value #DISCOVER_BACKOFF_MAX_MS} ms at most: 11.1 s. Then a node
 *     that missed the peers' later leases of its block while it was down or cut off offers
 *     addresses the others refuse to let it bind; the refusal gets the client no answer, so each
 *     such offer costs it three REQUESTs (3 s) before it starts over (the refused address is then
 *     kept out of that node's pool). Up to three such offers in a row: 20 s. In one run in three a minority stays cut
 *     off from the other nodes (not from the clients) for good. Judged, as in {@link LeaseSimulation},
 *     only while more nodes than a bare majority are connected and still vote (kept their store).
 * </ol>
 * Leases last {@value #LEASE_SECONDS} s (T1 at half, T2 at seven eighths), so that they are renewed,
 * rebound and expire within a run; clocks run up to {@value #MAX_RATE_PPM} ppm fast or slow and
 * start up to {@value #MAX_OFFSET_MS} ms apart; addresses whose lease ended stay out of the pool for
 * the production grace of 10 s.
 *
 * <h2>What a client holds</h2>
 * An ACK holds its address from its arrival until the time the client first sent the request it
 * answers plus the lease time, or until the client let go of it (NAK, RELEASE), whichever is first.
 * The lease the ACK stands for is the one the acknowledging node's store wrote for that address and
 * client: its version is what the disks are checked for.
 */
public final class ClusterSimulation {

    static final long QUIET_MS = 10_000;
    static final long MAX_FAULTS_MS = 10_000;
    static final long SERVICE_BOUND_MS = 20_000;
    static final long OBSERVE_MS = 10_000;
    static final long LEASE_SECONDS = 8;
    static final long MAX_RATE_PPM = 10_000;
    static final long MAX_OFFSET_MS = 300;
    static final long DISCOVER_BACKOFF_MAX_MS = 2_000;
    private static final long MS = 1_000_000L;
    private static final long ORIGIN_MILLIS = 1_800_000_000_000L;
    private static final int CLIENTS_PER_NODE = 4;
    private static final long REQUEST_TIMEOUT_MS = 1_000;

    /**
     * @param member how each node's cluster member is tuned (production but in the proof that the checker catches
     *     a broken one)
     * @param replay the command that replays a seed, for failure messages
     * @param relayedSubnet true if the nodes also serve a second subnet, 198.18.64.0/20 (six blocks), whose
     *     clients (every other one) speak through a relay at {@link #RELAY}: the leader must deal both
     *     subnets' blocks to every node, or some clients of one subnet go unanswered
     */
    public record Settings(ClusterMember.Settings member, LongFunction<String> replay, boolean relayedSubnet) {

        public Settings(ClusterMember.Settings member, LongFunction<String> replay) {
            this(member, replay, false);
        }

        public static Settings defaults(LongFunction<String> replay) {
            return new Settings(ClusterMember.Settings.DEFAULTS, replay);
        }

        public Settings withStores(ClusterMember.StoreFactory stores) {
            return new Settings(member.withStores(stores), replay, relayedSubnet);
        }

        /** These settings with the second, relayed subnet. */
        public Settings withRelayedSubnet() {
            return new Settings(member, replay, true);
        }
    }

    /** The relay (giaddr) of the second subnet's clients, outside both subnets. */
    static final String RELAY = "198.18.80.1";

    /**
     * What one run did.
     *
     * @param offers OFFERs the clients received
     * @param quietDiscovers DISCOVERs sent and answered while no fault was injected: those whose OFFERs were counted
     * @param acks ACKs the clients took
     * @param naks NAKs the clients received
     * @param slowestServiceNanos the longest a client went without a lease after the faults stopped (judged runs)
     * @param livenessJudged false if too few nodes kept their store for the service bound to be judged
     * @param traceHash the hash of every step
     */
    public record Result(long seed, int nodes, long steps, long virtualNanos, int offers, int quietDiscovers, int acks,
            int naks,
            Map<String, Integer> faults, long slowestServiceNanos, boolean livenessJudged, long traceHash) {
    }

    /** Runs one seed; throws {@link LeaseSimulationFailure} at the first broken invariant. */
    public static Result run(long seed, Settings settings) {
        return new ClusterSimulation(seed, settings).run();
    }

    /** One ACK a client took. */
    private static final class Holding {
        final int client;
        final Ipv4Address address;
        final LeaseVersion version;
        final NodeId server;
        final long start;
        final long end;
        long droppedAt = Long.MAX_VALUE;

        Holding(int client, Ipv4Address address, LeaseVersion version, NodeId server, long start, long end) {
            this.client = client;
            this.address = address;
            this.version = version;
            this.server = server;
            this.start = start;
            this.end = end;
        }

        long effectiveEnd() {
            return Math.min(end, droppedAt);
        }

        @Override
        public String toString() {
            return "client-" + client + " holds " + address + " at version " + version + " (ACK from " + server
                    + ") from " + start / 1e9 + " s to " + effectiveEnd() / 1e9 + " s";
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
    private final ServerConfig config;
    private final Node[] nodes;
    private final Client[] clients;
    private final LinkCuts links;
    private final BadNetworkSpells badNetwork;
    private final Map<Ipv4Address, List<Holding>> history = new HashMap<>();
    private final List<Long> wipes = new ArrayList<>();
    private final Map<String, Integer> faults = new TreeMap<>();
    private final long faultsStart;
    private final long faultsEnd;
    private final int maxWipes;
    /** The minority (node indexes) that stays cut off from the rest once the faults stop; empty in two runs of three. */
    private final Set<Integer> cutOff = new java.util.TreeSet<>();
    private long slowDisksUntil = Long.MIN_VALUE;
    private boolean faultsOver;
    private int offers;
    private int acks;
    private int naks;
    private long slowestService;

    private ClusterSimulation(long seed, Settings settings) {
        this.seed = seed;
        this.settings = settings;
        this.random = new SplittableRandom(seed);
        this.size = random.nextInt(4) == 0 ? 5 : 3;
        this.majority = size / 2 + 1;
        // One run in three loses the stores of a minority (one node of 3, one or two of 5), so most runs judge liveness.
        this.maxWipes = random.nextInt(3) != 0 ? 0 : size == 3 ? 1 : 1 + random.nextInt(2);
        this.faultsStart = QUIET_MS * MS;
        this.faultsEnd = faultsStart + random.nextLong(2_000 * MS, MAX_FAULTS_MS * MS + 1);
        // Its own stream, so that the runs of the other seeds' draws stay as they were.
        SplittableRandom ending = new SplittableRandom(seed * 31 + 7);
        if (ending.nextInt(3) == 0) {
            int minority = 1 + ending.nextInt((size - 1) / 2);
            while (cutOff.size() < minority) {
                cutOff.add(ending.nextInt(size));
            }
        }
        List<NodeId> ids = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            ids.add(new NodeId(i));
        }
        members.addAll(ids);
        this.network = new SimulatedNetwork(queue, random.split(), ids);
        this.links = new LinkCuts(queue, network, ids);
        this.badNetwork = new BadNetworkSpells(queue, network);
        // One Dhcp4 section for every node: a /20 whose pool is six blocks of 256, leases of a few seconds;
        // and, with the relayed subnet, a second such /20 whose clients speak through a relay.
        List<SubnetConfig> subnets = new ArrayList<>();
        subnets.add(TestConfigs.SubnetBuilder.of("198.18.0.0", 20)
                .pool("198.18.1.0", "198.18.6.255").leaseTimes(LeaseTimes.of(Duration.ofSeconds(LEASE_SECONDS)))
                .build());
        if (settings.relayedSubnet()) {
            subnets.add(TestConfigs.SubnetBuilder.of("198.18.64.0", 20)
                    .pool("198.18.65.0", "198.18.70.255").leaseTimes(LeaseTimes.of(Duration.ofSeconds(LEASE_SECONDS)))
                    .relay(RELAY).build());
        }
        this.config = TestConfigs.server(subnets.toArray(SubnetConfig[]::new))
                .serverIdentifier(Optional.empty()).offerHold(Duration.ofSeconds(5)).build();
        this.nodes = new Node[size];
        for (int i = 0; i < size; i++) {
            long rate = random.nextLong(-MAX_RATE_PPM, MAX_RATE_PPM + 1);
            long offset = random.nextLong(-MAX_OFFSET_MS, MAX_OFFSET_MS + 1);
            nodes[i] = new Node(i, new SimulatedClock(queue, rate, ORIGIN_MILLIS + offset));
        }
        this.clients = new Client[size * CLIENTS_PER_NODE];
        for (int c = 0; c < clients.length; c++) {
            clients[c] = new Client(c);
        }
    }

    private Result run() {
        for (Node node : nodes) {
            queue.after(random.nextLong(500 * MS), node.index, "start", null, node::start);
        }
        for (Client client : clients) {
            client.begin(random.nextLong(0, 3_000 * MS));
        }
        queue.after(faultsStart, -1, "faults-start", null, this::nextFault);
        queue.after(faultsEnd, -1, "faults-end", null, this::endFaults);
        long end = faultsEnd + (SERVICE_BOUND_MS + OBSERVE_MS) * MS;
        long steps = 0;
        EventQueue.Event event;
        while ((event = queue.next(end)) != null) {
            trace.step(event);
            event.run();
            steps++;
            checkDurability();
        }
        for (Client client : clients) {
            client.checkServedAtEnd();
        }
        int quietDiscovers = 0;
        for (Client client : clients) {
            for (Set<NodeId> offeredBy : client.quietOffers.values()) {
                if (!offeredBy.isEmpty()) {
                    quietDiscovers++;
                }
            }
        }
        return new Result(seed, size, steps, queue.now(), offers, quietDiscovers, acks, naks, faults, slowestService,
                livenessJudged(), trace.hash());
    }

    // ---- invariants -------------------------------------------------------------------------

    private void fail(LeaseInvariant invariant, String detail) {
        throw new LeaseSimulationFailure(invariant, seed, "cluster simulation seed " + seed + " (" + size
                + " nodes) broke " + invariant + " at " + queue.now() / 1e9 + " s (faults from " + faultsStart / 1e9
                + " s to " + faultsEnd / 1e9 + " s): " + detail + "\nnodes:\n" + nodesNow() + "last events:\n"
                + trace.recent() + "\nreplay: " + settings.replay().apply(seed));
    }

    /**
     * Only while more nodes than a bare majority are connected and still vote (kept their store):
     * with a bare majority every change needs every one of them, and an address whose replicas hold
     * different uncommitted versions takes no change again (see {@link LeaseSimulation}); a client
     * bound to one then waits for its lease and the grace to run out.
     */
    private boolean livenessJudged() {
        int voting = 0;
        for (Node node : nodes) {
            if (!node.storeLost && !cutOff.contains(node.index)) {
                voting++;
            }
        }
        return voting > majority;
    }

    private String nodesNow() {
        StringBuilder text = new StringBuilder();
        for (Node node : nodes) {
            text.append("  ").append(node.id).append(" (").append(node.address).append(')');
            if (!node.up) {
                text.append(" down");
            } else {
                var status = node.election.status();
                text.append(' ').append(status.role()).append(" in epoch ").append(status.epoch()).append(" (leader ")
                        .append(status.leader()).append("), holds ").append(node.member.holdings().blocks().size())
                        .append(" blocks and ").append(node.member.holdings().buckets().size()).append(" buckets, ")
                        .append(node.member.freeAddresses()).append(" free, ").append(node.member.replicating())
                        .append(" changes in flight").append(node.member.recovering() ? ", recovering" : "");
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** A client took an ACK: no other client may hold the address now. */
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

    /** Every lease a client holds now is on a majority of disks, counting the stores lost since its ACK was due. */
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
                if (onDisk != null && (onDisk.version().isAfter(holding.version)
                        || onDisk.version().equals(holding.version) && onDisk.clientKey().equals(client.key))) {
                    holders++;
                }
            }
            int wiped = 0;
            for (long at : wipes) {
                // A change is proposed at most one lease time before its ACK arrives (the client gave up on it sooner).
                if (at >= holding.start - LEASE_SECONDS * 1_000 * MS) {
                    wiped++;
                }
            }
            if (holders == 0 || holders + wiped < majority) {
                fail(LeaseInvariant.ACKED_LEASE_ON_MAJORITY_OF_DISKS, holding + " is on " + holders + " disks ("
                        + wiped + " lost lately), a majority is " + majority);
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
        if (pick < 22) {
            Node node = nodes[random.nextInt(size)];
            if (node.up) {
                count("crash");
                node.crash();
                restartLater(node, random.nextLong(200 * MS, 4_000 * MS));
            }
        } else if (pick < 30) {
            Node node = nodes[random.nextInt(size)];
            if (wipes.size() < maxWipes && !node.storeLost) {
                count("store-lost");
                node.wipe();
                wipes.add(queue.now());
                restartLater(node, random.nextLong(200 * MS, 2_000 * MS));
            }
        } else if (pick < 50) {
            int[][] link = LinkCuts.oneLink(random, size);
            count("cut-link");
            links.cutFor(link, random.nextLong(500 * MS, 6_000 * MS));
        } else if (pick < 65) {
            count("partition");
            links.cutFor(LinkCuts.partition(random, size), random.nextLong(500 * MS, 6_000 * MS));
        } else if (pick < 75) {
            count("isolate");
            links.cutFor(LinkCuts.isolation(random, size), random.nextLong(500 * MS, 6_000 * MS));
        } else if (pick < 82) {
            count("slow-disks");
            slowDisksUntil = queue.now() + random.nextLong(500 * MS, 3_000 * MS);
        } else {
            count("bad-network");
            badNetwork.begin(random, 80 * MS);
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
        for (int a : cutOff) {
            for (int b = 0; b < size; b++) {
                if (!cutOff.contains(b)) {
                    network.block(nodes[a].id, nodes[b].id, true);
                    network.block(nodes[b].id, nodes[a].id, true);
                }
            }
        }
        if (!cutOff.isEmpty()) {
            count("minority-cut-off");
        }
        network.linksChanged();
        badNetwork.endAll();
        for (Node node : nodes) {
            if (!node.up) {
                node.start();
            }
        }
    }

    // ---- the broadcast link between clients and nodes ----------------------------------------

    private long delay(SimulatedNetwork.Conditions conditions) {
        return conditions.minDelay() == conditions.maxDelay() ? conditions.minDelay()
                : random.nextLong(conditions.minDelay(), conditions.maxDelay() + 1);
    }

    private boolean lost() {
        SimulatedNetwork.Conditions now = network.conditions();
        return now.drop() > 0 && random.nextDouble() < now.drop();
    }

    /** A client's datagram to one node, if it is up and the link does not lose it. */
    private void toNode(Node node, byte[] payload, String what) {
        if (lost()) {
            return;
        }
        int incarnation = node.incarnation;
        queue.after(delay(network.conditions()), node.index, "dhcp-in", what, () -> {
            if (node.up && node.incarnation == incarnation) {
                node.handle(payload);
            }
        });
    }

    /** A client's broadcast: every node hears it, each copy lost or delayed on its own. */
    private void toAll(byte[] payload, String what) {
        for (Node node : nodes) {
            toNode(node, payload, what);
        }
    }

    /** A node's reply: the client whose hardware address it names receives it, broadcast or unicast alike. */
    private void toClient(Node from, DhcpMessage reply, Optional<LeaseVersion> version) {
        if (lost()) {
            return;
        }
        HardwareAddress mac = reply.hardwareAddress();
        byte[] octets = mac.octets();
        int index = ((octets[4] & 0xff) << 8) | (octets[5] & 0xff);
        if (index >= clients.length) {
            return;
        }
        Client client = clients[index];
        String what = reply.messageType().map(Enum::name).orElse("?") + " xid " + Integer.toHexString(reply.xid())
                + " client-" + index + " " + reply.yiaddr() + " from " + from.id;
        queue.after(delay(network.conditions()), -1, "dhcp-out", what, () -> client.reply(from, reply, version));
    }

    // ---- nodes --------------------------------------------------------------------------------

    private final class Node {
        final int index;
        final NodeId id;
        final Ipv4Address address;
        final SimulatedClock clock;
        final SimulatedDisk votes;
        final SimulatedAssignmentDisk assignments;
        /** What survives a crash: the durable leases. */
        final Map<Ipv4Address, Lease> disk = new HashMap<>();
        /** The lease of each address whose write the member last reported durable (committed) to the server. */
        final Map<Ipv4Address, Lease> committed = new HashMap<>();
        final SplittableRandom nodeRandom;
        final ElectionEventSink events;
        SimulatedScheduler scheduler;
        BullyElection election;
        ClusterMember member;
        DhcpServer server;
        boolean up;
        boolean storeLost;
        int incarnation;

        Node(int index, SimulatedClock clock) {
            this.index = index;
            this.id = new NodeId(index + 1);
            this.address = Ipv4Address.parse("198.18.0." + (10 + index));
            this.clock = clock;
            this.votes = new SimulatedDisk(id, (node, before, vote) -> { }, false);
            this.assignments = new SimulatedAssignmentDisk(id, (node, record) -> { });
            this.nodeRandom = random.split();
            this.events = new ElectionEventSink(event -> trace.election(queue.now(), id, event));
        }

        /** Starts an incarnation from the disks, as the node's runtime does: election, member, server. */
        void start() {
            if (up) {
                return;
            }
            incarnation++;
            votes.started();
            committed.clear();
            scheduler = new SimulatedScheduler(queue, clock, index);
            var transport = network.transport(id);
            BullyElection nextElection = ElectionFactory.PRODUCTION.create(id, members, ElectionTimers.DEFAULTS, clock,
                    scheduler, transport, votes, nodeRandom.split(), events);
            // As NodeService: a member that voted before and finds its store gone recovers.
            boolean recovering = storeLost && votes.vote().isPresent();
            ClusterMember nextMember = new ClusterMember(id, members, new Store(), assignments, clock, scheduler,
                    transport, () -> GrantNode.leadership(nextElection.status()), () -> nextElection.status().epoch(),
                    recovering, settings.member());
            DhcpServer nextServer = new DhcpServer(configOf(id), new Link(), new Committed(nextMember.store()), clock,
                    scheduler, events,
                    nextMember.buckets(), nextMember.expiryGrace());
            List<Lease> leases;
            try {
                leases = nextMember.store().loadAll();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            nextServer.load(leases);
            nextMember.start(nextServer);
            election = nextElection;
            member = nextMember;
            server = nextServer;
            up = true;
            network.attach(id, new PeerHandler() {
                @Override
                public void received(PeerMessage message) {
                    if (message instanceof PeerMessage.Election || message instanceof PeerMessage.Answer
                            || message instanceof PeerMessage.Coordinator || message instanceof PeerMessage.Acknowledge
                            || message instanceof PeerMessage.Heartbeat) {
                        nextElection.received(message);
                    } else {
                        nextMember.received(message);
                    }
                }

                @Override
                public void connected(NodeId peer) {
                    nextElection.connected(peer);
                }

                @Override
                public void disconnected(NodeId peer) {
                    nextElection.disconnected(peer);
                }
            });
            nextElection.start();
        }

        void crash() {
            scheduler.kill();
            up = false;
            election = null;
            member = null;
            server = null;
            network.detach(id);
            votes.crashed();
        }

        /** The lease store is lost (the vote survives): the node restarts recovering. */
        void wipe() {
            if (up) {
                crash();
            }
            disk.clear();
            storeLost = true;
        }

        /** A datagram from a client, as NodeService hands it: the holdings of this moment first. */
        void handle(byte[] payload) {
            member.refresh();
            server.handle(new Datagram(payload, Ipv4Address.of(0), 68, address, Optional.empty()));
        }

        /** The node's own lease store: durable on a later event, gone with a crash if not yet synced. */
        private final class Store implements LeaseStore {
            @Override
            public List<Lease> loadAll() {
                return new ArrayList<>(disk.values());
            }

            @Override
            public void checkWritable() {
            }

            @Override
            public void write(List<Lease> batch, WriteCompletion completion) {
                long latency = queue.now() < slowDisksUntil && !faultsOver ? random.nextLong(100 * MS, 2_000 * MS)
                        : random.nextLong(100_000, 3 * MS);
                scheduler.schedule(Duration.ofNanos(latency), () -> {
                    for (Lease lease : batch) {
                        disk.merge(lease.address(), lease, ClusterSimulation::higher);
                    }
                    completion.durable();
                });
            }

            @Override
            public void close() {
            }
        }

        /**
         * The member's store as the server writes to it: notes each lease whose write is reported
         * durable, which is when the server sends its ACK, so that the ACK's lease is known.
         */
        private final class Committed implements LeaseStore {
            private final LeaseStore store;

            Committed(LeaseStore store) {
                this.store = store;
            }

            @Override
            public List<Lease> loadAll() throws dev.dhcpcluster.port.store.LeaseStoreException {
                return store.loadAll();
            }

            @Override
            public void checkWritable() throws dev.dhcpcluster.port.store.LeaseStoreException {
                store.checkWritable();
            }

            @Override
            public void write(List<Lease> batch, WriteCompletion completion) {
                store.write(batch, new WriteCompletion() {
                    @Override
                    public void durable() {
                        for (Lease lease : batch) {
                            committed.put(lease.address(), lease);
                        }
                        completion.durable();
                    }

                    @Override
                    public void failed(dev.dhcpcluster.port.store.LeaseStoreException cause) {
                        completion.failed(cause);
                    }
                });
            }

            @Override
            public void close() {
                store.close();
            }
        }

        /** The node's DHCP port on the clients' link. */
        private final class Link implements DhcpTransport {
            @Override
            public void start(DhcpHandler handler) {
                throw new UnsupportedOperationException("the simulation hands datagrams to the server itself");
            }

            @Override
            public void send(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
                DhcpMessage reply;
                try {
                    reply = DhcpCodec.decode(payload);
                } catch (MalformedPacketException e) {
                    throw new AssertionError(id + " sent a reply it cannot decode: " + e.getMessage(), e);
                }
                Optional<LeaseVersion> version = Optional.empty();
                if (reply.messageType().orElse(null) == DhcpMessageType.ACK) {
                    Lease lease = committed.get(reply.yiaddr());
                    if (lease != null) {
                        version = Optional.of(lease.version());
                    }
                }
                toClient(Node.this, reply, version);
            }

            @Override
            public void close() {
            }
        }
    }

    /** The one Dhcp4 section, as the node {@code id} runs it: it writes its leases as {@code id}. */
    private ServerConfig configOf(NodeId id) {
        return new ServerConfig(id, config.subnets(), config.options(), config.clientClasses(), config.serverIdentifier(),
                config.offerHold(), config.declineProbation(), config.maxHops(), config.clientPort(), config.relayPort());
    }

    private static Lease higher(Lease kept, Lease other) {
        return other.version().isAfter(kept.version()) ? other : kept;
    }

    private Node nodeAt(Ipv4Address address) {
        for (Node node : nodes) {
            if (node.address.equals(address)) {
                return node;
            }
        }
        return null;
    }

    // ---- clients ------------------------------------------------------------------------------

    private enum State { INIT, SELECTING, REQUESTING, BOUND, RENEWING, REBINDING }

    private final class Client {
        final int index;
        final HardwareAddress mac;
        final ClientKey key;
        State state = State.INIT;
        int xid;
        /** When the client first sent a message of the current xid. */
        long xidSentAt;
        int discoverTries;
        int requestTries;
        Ipv4Address offered;
        Ipv4Address serverId;
        Holding holding;
        long t1;
        long t2;
        /** Since when the client has had no lease. */
        long waitingSince = 0;
        EventQueue.Event timer;
        /** The servers that offered for each DISCOVER xid sent while no faults were injected. */
        final Map<Integer, Set<NodeId>> quietOffers = new HashMap<>();

        /** True if the client is in the relayed subnet: its relay sets the giaddr of all it sends. */
        final boolean relayed;

        Client(int index) {
            this.index = index;
            this.relayed = settings.relayedSubnet() && index % 2 == 1;
            this.mac = HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, (byte) (index >> 8), (byte) index});
            this.key = ClientKey.ofHardware(mac);
        }

        void begin(long delay) {
            schedule(delay, this::discover);
        }

        private void schedule(long delay, Runnable action) {
            if (timer != null) {
                timer.cancel();
            }
            timer = queue.after(delay, -1, "client", "client-" + index + " " + state, action);
        }

        /** What the client sends, as it reaches the nodes: through its relay if it is in the relayed subnet. */
        private byte[] out(TestPackets.Packet packet) {
            return relayed ? packet.withGiaddr(RELAY).withHops(1).encode() : packet.encode();
        }

        private int newXid() {
            xid = random.nextInt();
            xidSentAt = queue.now();
            return xid;
        }

        private void discover() {
            state = State.SELECTING;
            newXid();
            if (queue.now() < faultsStart) {
                quietOffers.put(xid, new HashSet<>());
            }
            toAll(out(TestPackets.discover().withXid(xid).withHardwareAddress(mac)), "DISCOVER client-" + index);
            long backoff = Math.min(DISCOVER_BACKOFF_MAX_MS, 500L << Math.min(discoverTries, 3));
            discoverTries++;
            schedule(random.nextLong(backoff / 2, backoff + 1) * MS, this::discover);
        }

        private void request() {
            toAll(out(TestPackets.request().withXid(xid).withHardwareAddress(mac).withRequestedAddress(offered)
                    .withServerIdentifier(serverId)), "REQUEST client-" + index + " " + offered);
            requestTries++;
            schedule(REQUEST_TIMEOUT_MS * MS, () -> {
                if (requestTries < 3) {
                    request();
                } else {
                    discover();
                }
            });
        }

        private void renew() {
            if (state == State.BOUND) {
                state = State.RENEWING;
                newXid();
            }
            Node server = nodeAt(serverId);
            byte[] payload = out(TestPackets.request().withXid(xid).withHardwareAddress(mac)
                    .withCiaddr(holding.address.toString()));
            if (server != null) {
                toNode(server, payload, "RENEW client-" + index + " " + holding.address);
            }
            long next = queue.now() + REQUEST_TIMEOUT_MS * MS;
            schedule(Math.min(next, t2) - queue.now(), next < t2 ? this::renew : this::rebind);
        }

        private void rebind() {
            if (state != State.REBINDING) {
                state = State.REBINDING;
                newXid();
            }
            toAll(out(TestPackets.request().withXid(xid).withHardwareAddress(mac)
                    .withCiaddr(holding.address.toString())), "REBIND client-" + index + " " + holding.address);
            long end = holding.end;
            long next = queue.now() + REQUEST_TIMEOUT_MS * MS;
            schedule(Math.min(next, end) - queue.now(), next < end ? this::rebind : this::expired);
        }

        private void expired() {
            letGo();
            discoverTries = 0;
            discover();
        }

        private void release() {
            Node server = nodeAt(serverId);
            byte[] payload = out(TestPackets.release().withXid(newXid()).withHardwareAddress(mac)
                    .withCiaddr(holding.address.toString()).withServerIdentifier(serverId));
            if (server != null) {
                toNode(server, payload, "RELEASE client-" + index + " " + holding.address);
            }
            letGo();
            state = State.INIT;
            discoverTries = 0;
            schedule(random.nextLong(200 * MS, 2_000 * MS), this::discover);
        }

        /** The client stops using its address: from now on it waits for a lease. */
        private void letGo() {
            if (holding != null) {
                holding.droppedAt = Math.min(holding.droppedAt, queue.now());
                holding = null;
                waitingSince = queue.now();
            }
        }

        void reply(Node from, DhcpMessage reply, Optional<LeaseVersion> version) {
            DhcpMessageType type = reply.messageType().orElse(null);
            Optional<Ipv4Address> named = reply.options().address(OptionCode.SERVER_IDENTIFIER);
            if (type == DhcpMessageType.OFFER) {
                offers++;
                Set<NodeId> offeredBy = quietOffers.get(reply.xid());
                if (offeredBy != null && queue.now() < faultsStart) {
                    offeredBy.add(from.id);
                    if (offeredBy.size() > 1) {
                        fail(LeaseInvariant.ONE_OFFER_PER_DISCOVER, "client-" + index + " got OFFERs from "
                                + offeredBy + " for its DISCOVER xid " + Integer.toHexString(reply.xid())
                                + " while no fault was injected");
                    }
                }
                if (state == State.SELECTING && reply.xid() == xid && named.isPresent()) {
                    state = State.REQUESTING;
                    offered = reply.yiaddr();
                    serverId = named.get();
                    requestTries = 0;
                    request();
                }
                return;
            }
            if (reply.xid() != xid || (state != State.REQUESTING && state != State.RENEWING
                    && state != State.REBINDING)) {
                return;
            }
            if (type == DhcpMessageType.NAK) {
                naks++;
                letGo();
                discoverTries = 0;
                state = State.INIT;
                schedule(random.nextLong(10 * MS, 200 * MS), this::discover);
                return;
            }
            if (type != DhcpMessageType.ACK) {
                return;
            }
            long now = queue.now();
            long leaseNanos = reply.options().uint32(OptionCode.LEASE_TIME).orElse(0L) * 1_000 * MS;
            long end = xidSentAt + leaseNanos;
            if (end <= now) {
                return;
            }
            if (version.isEmpty()) {
                fail(LeaseInvariant.ACKED_LEASE_ON_MAJORITY_OF_DISKS, from.id + " ACKed " + reply.yiaddr()
                        + " to client-" + index + " without a lease of it in its store");
            }
            Ipv4Address address = reply.yiaddr();
            if (holding != null && !holding.address.equals(address)) {
                letGo();
            }
            if (holding != null) {
                holding.droppedAt = Math.min(holding.droppedAt, now);
            }
            boolean wasWaiting = holding == null;
            holding = new Holding(index, address, version.get(), from.id, now, end);
            recordAck(holding);
            if (wasWaiting && faultsOver && livenessJudged()) {
                long waited = now - Math.max(waitingSince, faultsEnd);
                slowestService = Math.max(slowestService, waited);
                if (waited > SERVICE_BOUND_MS * MS) {
                    fail(LeaseInvariant.CLIENTS_SERVED_AFTER_FAULTS, "client-" + index + " went " + waited / 1e9
                            + " s without a lease, the bound is " + SERVICE_BOUND_MS / 1e3 + " s");
                }
            }
            serverId = named.orElse(serverId);
            state = State.BOUND;
            discoverTries = 0;
            t1 = xidSentAt + reply.options().uint32(OptionCode.RENEWAL_TIME).orElse(leaseNanos / 2_000_000_000L)
                    * 1_000 * MS;
            t2 = xidSentAt + reply.options().uint32(OptionCode.REBINDING_TIME)
                    .orElse(leaseNanos * 7 / 8_000_000_000L) * 1_000 * MS;
            if (random.nextInt(100) < 10) {
                schedule(random.nextLong(0, Math.max(1, t1 - now)), this::release);
            } else {
                schedule(Math.max(0, t1 - now), this::renew);
            }
        }

        void checkServedAtEnd() {
            if (holding == null && livenessJudged()) {
                long waited = queue.now() - Math.max(waitingSince, faultsEnd);
                if (waited > SERVICE_BOUND_MS * MS) {
                    fail(LeaseInvariant.CLIENTS_SERVED_AFTER_FAULTS, "client-" + index + " has had no lease for "
                            + waited / 1e9 + " s at the end of the run, the bound is " + SERVICE_BOUND_MS / 1e3 + " s");
                }
            }
        }
    }
}
