package dev.dhcpcluster.core.cluster;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AssignmentRecord;
import dev.dhcpcluster.port.peer.AssignmentStore;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerTransport;
import dev.dhcpcluster.port.peer.VoteStoreException;
import dev.dhcpcluster.port.time.Cancellable;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The leader's assignment of blocks and buckets, acknowledged by a majority, and each member's
 * time-limited grant to hold its share: a single-threaded state machine driven by the election's
 * state ({@link Leadership}), peer messages and a timer, on one node. Each node runs one; it plays
 * the leader's part while its election leads, and the member's part always (the leader is a member of its own
 * assignment). Numbers below refer to {@link GrantTimers}.
 *
 * <h2>Rule 1: a change is acknowledged by a majority before anyone acts on it</h2>
 * The leader of epoch e proposes one assignment at a time, of version (e, s), with an
 * {@code AssignmentOffer}. A member that acknowledged that leader in e saves it in its
 * {@link AssignmentStore} if it is later than the one it holds, and only then answers
 * {@code AssignmentAccepted} (persist before acknowledging; the leader saves its own proposal
 * before it counts itself). The proposal is committed once a majority of the configured cluster
 * accepted it, and the leader grants only a committed assignment, so a node acts only on one a
 * majority has on disk.
 *
 * <h2>Rule 2: a new leader learns the latest assignment first</h2>
 * Until the leader of e has sent a member an offer or a grant in e, and again whenever it has sent
 * neither for two renew intervals (a node may lead the same epoch twice), the member reports its
 * latest accepted assignment ({@code AssignmentReport}) each renew interval. The leader plans nothing
 * before it holds reports from a majority that acknowledged e, itself included, and starts from
 * the latest of them. Every committed assignment is on a majority, that majority shares a member
 * with this one, and a member that acknowledged e accepts nothing from an earlier epoch: so the
 * leader starts from the last committed assignment or a later one, and never forgets one.
 *
 * <h2>Rule 3: a member holds its share only while its grant is current</h2>
 * Each renew interval a member sends its leader a {@code GrantRequest} stamped with its own
 * monotonic clock. The leader answers with a {@code Grant} echoing the stamp if the member accepted
 * the committed assignment. The member then holds, until stamp + G on its own clock, the blocks and
 * buckets that both the granted assignment and its latest accepted one give it: G is counted from
 * when it asked, never from when the answer arrived, and an accepted change that takes something
 * away takes effect at once. A member cut off from the majority gets no more grants, and at most G
 * after its last request it stops allocating and stops answering for its buckets. A restarted
 * member holds nothing until it is granted again.
 *
 * <h2>Rule 4: a lost member's share moves only once its grant must have lapsed</h2>
 * The leader takes a holding from a member it no longer hears only when {@link GrantTimers#lapseWait()}
 * = G × (1 + ρ) + m has passed on its own clock since it last granted that member: the grant was
 * counted from a request sent before the leader granted, so with both clocks within ρ it has lapsed
 * on the member's clock. A member it still hears loses a bucket in two steps: an assignment where
 * nobody holds the bucket, and, once that member accepted it (or its grant lapsed), one that gives
 * the bucket to another node. A new leader cannot know what its predecessor granted: for
 * {@link GrantTimers#takeoverWait()} = (G + T) × (1 + ρ) + m after it became leader it takes nothing
 * from anyone and hands out nothing the standing assignment leaves free. Only a cluster whose
 * majority never accepted any assignment needs no wait: nobody can hold anything then. No clock is
 * ever compared with another node's: each interval is measured on one node with
 * {@link Clock#elapsedNanos()}.
 *
 * <h2>Threads</h2>
 * Not thread-safe: every method must be called on the scheduler's thread, as for the election.
 */
public final class OwnershipGrants {

    private static final long NEVER = Long.MIN_VALUE;

    /**
     * What a node holds at one moment, as it believes.
     *
     * @param epoch the epoch of the granted assignment's version (0 when it holds nothing)
     * @param sequence the sequence of that version
     * @param buckets the buckets held
     * @param blocks the ids of the blocks held
     */
    public record Holdings(long epoch, long sequence, SortedSet<Integer> buckets, SortedSet<Ipv4Address> blocks) {
        /** Nothing held. */
        public static final Holdings NONE = new Holdings(0, 0, new TreeSet<>(), new TreeSet<>());

        public Holdings {
            buckets = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(buckets));
            blocks = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(blocks));
        }

        public boolean isEmpty() {
            return buckets.isEmpty() && blocks.isEmpty();
        }
    }

    /** A bucket taken from a member it is still heard: not handed on until it accepted a version without it. */
    private record Revocation(NodeId from, Assignment version) {
    }

    private final NodeId self;
    private final List<NodeId> members;
    private final int majority;
    private final GrantTimers timers;
    private final Clock clock;
    private final Scheduler scheduler;
    private final PeerTransport peers;
    private final AssignmentStore store;
    private final Supplier<Leadership> election;
    /** The blocks of the pools as the leader deals them; changes when the node serves a new configuration. */
    private PoolBlocks pool;
    /** Told of each plan this node proposes that leaves a live member without a block in a subnet. */
    private ShortSubnets shortSubnets = (plan, lacking) -> { };
    private final AssignmentPlanner.Rules rules;
    private final ToLongFunction<Set<Ipv4Address>> freeAddresses;
    private final Shortcut shortcut;
    private final long lapseWait;
    private final long takeoverWait;
    /** False while this node can bind no client: it then takes no share (see the constructor). */
    private final BooleanSupplier canServe;

    private boolean running;
    private Cancellable tick;
    private long startedAt;

    // ---- the member's part ----
    private Assignment accepted = Assignment.NONE;
    private Assignment granted;
    private long grantExpiry = NEVER;
    /** The epoch in which this node's leader last sent it an offer or a grant, and when. */
    private long heardFromLeader = -1;
    private long heardFromLeaderAt = NEVER;
    private Holdings holdings = Holdings.NONE;

    // ---- the leader's part; reset whenever this node starts leading an epoch ----
    private long leaderEpoch = -1;
    private long leaderSince;
    private final Map<NodeId, Assignment> reports = new TreeMap<>();
    private Assignment base;
    private Assignment committed;
    private Assignment proposal;
    private final Set<NodeId> proposalAcks = new HashSet<>();
    private final Map<NodeId, Long> lastGranted = new HashMap<>();
    private final Map<NodeId, Long> lastAsked = new HashMap<>();
    private final Map<NodeId, Assignment> latestAccepted = new HashMap<>();
    private final Map<NodeId, Map<Ipv4Address, Long>> free = new HashMap<>();
    private final Map<Integer, Revocation> revoked = new TreeMap<>();

    /**
     * One node's grants.
     *
     * @param self this node
     * @param members every configured member, {@code self} included
     * @param timers the grant's length and the waits
     * @param clock only {@link Clock#elapsedNanos()} is read
     * @param scheduler runs the renew timer, on the thread every method must be called on
     * @param peers carries the messages
     * @param store keeps the latest accepted assignment
     * @param election where this node stands in the election now
     * @param pool the blocks of the pools, by subnet
     * @param rules how the leader hands out blocks
     * @param freeAddresses how many addresses this node has free in the given blocks of its own (it
     *     is asked once per subnet, with the blocks it holds in that subnet)
     */
    public OwnershipGrants(NodeId self, Set<NodeId> members, GrantTimers timers, Clock clock, Scheduler scheduler,
            PeerTransport peers, AssignmentStore store, Supplier<Leadership> election, PoolBlocks pool,
            AssignmentPlanner.Rules rules, ToLongFunction<Set<Ipv4Address>> freeAddresses) {
        this(self, members, timers, clock, scheduler, peers, store, election, pool, rules, freeAddresses,
                () -> true);
    }

    /**
     * One node's grants, for a node that may be unable to serve for a while.
     *
     * @param canServe false while this node can bind no client (its lease store was lost and it
     *     recovers): it then asks for no grant and, leading, plans no share for itself, so that its
     *     buckets and blocks lapse to the nodes that can; it still reports, acknowledges and leads
     */
    public OwnershipGrants(NodeId self, Set<NodeId> members, GrantTimers timers, Clock clock, Scheduler scheduler,
            PeerTransport peers, AssignmentStore store, Supplier<Leadership> election, PoolBlocks pool,
            AssignmentPlanner.Rules rules, ToLongFunction<Set<Ipv4Address>> freeAddresses, BooleanSupplier canServe) {
        this(self, members, timers, clock, scheduler, peers, store, election, pool, rules, freeAddresses,
                Shortcut.NONE, canServe);
    }

    /** The seam for the simulation's proof that its checker catches broken grants; see {@link Shortcut}. */
    OwnershipGrants(NodeId self, Set<NodeId> members, GrantTimers timers, Clock clock, Scheduler scheduler,
            PeerTransport peers, AssignmentStore store, Supplier<Leadership> election, PoolBlocks pool,
            AssignmentPlanner.Rules rules, ToLongFunction<Set<Ipv4Address>> freeAddresses, Shortcut shortcut) {
        this(self, members, timers, clock, scheduler, peers, store, election, pool, rules, freeAddresses, shortcut,
                () -> true);
    }

    private OwnershipGrants(NodeId self, Set<NodeId> members, GrantTimers timers, Clock clock, Scheduler scheduler,
            PeerTransport peers, AssignmentStore store, Supplier<Leadership> election, PoolBlocks pool,
            AssignmentPlanner.Rules rules, ToLongFunction<Set<Ipv4Address>> freeAddresses, Shortcut shortcut,
            BooleanSupplier canServe) {
        this.canServe = Objects.requireNonNull(canServe, "canServe");
        this.self = Objects.requireNonNull(self, "self");
        this.members = members.stream().sorted().toList();
        if (!this.members.contains(self)) {
            throw new IllegalArgumentException(self + " is not one of the members " + this.members);
        }
        this.majority = this.members.size() / 2 + 1;
        this.timers = Objects.requireNonNull(timers, "timers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.store = Objects.requireNonNull(store, "store");
        this.election = Objects.requireNonNull(election, "election");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.freeAddresses = Objects.requireNonNull(freeAddresses, "freeAddresses");
        this.shortcut = Objects.requireNonNull(shortcut, "shortcut");
        if (shortcut == Shortcut.NO_DRIFT_MARGIN) {
            this.lapseWait = timers.grant().toNanos();
            this.takeoverWait = timers.grant().toNanos() + timers.takeover().toNanos();
        } else {
            this.lapseWait = timers.lapseWait();
            this.takeoverWait = timers.takeoverWait();
        }
    }

    /**
     * Loads the accepted assignment and starts the renew timer. Holds nothing until granted.
     *
     * @throws VoteStoreException if the accepted assignment cannot be read
     * @throws IllegalStateException if started twice
     */
    public void start() {
        if (running || tick != null) {
            throw new IllegalStateException("the grants of " + self + " were started already");
        }
        accepted = store.load().map(Assignment::fromRecord).orElse(Assignment.NONE);
        startedAt = clock.elapsedNanos();
        running = true;
        tick = scheduler.schedule(timers.renewInterval(), this::tick);
    }

    /** Stops: no more messages or timers. Idempotent. */
    public void stop() {
        running = false;
        if (tick != null) {
            tick.cancel();
        }
    }

    /** What this node holds now: nothing unless its grant is current. */
    public Holdings holdings() {
        return granted != null && clock.elapsedNanos() < grantExpiry ? holdings : Holdings.NONE;
    }

    /** True while this node's grant is current on its own clock, whatever it holds under it. */
    public boolean grantCurrent() {
        return granted != null && clock.elapsedNanos() < grantExpiry;
    }

    /** The latest assignment this node accepted (and saved). */
    public Assignment accepted() {
        return accepted;
    }

    /**
     * The assignment this node committed last, while it leads (as of its last timer or message);
     * empty otherwise.
     */
    public Optional<Assignment> committed() {
        return leaderEpoch >= 0 ? Optional.ofNullable(committed) : Optional.empty();
    }

    /**
     * The pools now have the blocks {@code blocks} (the node serves a new configuration): the
     * leader deals them from its next plan on. A block that left the pools stays where the
     * assignment has it until its holder is released; no node can allocate from it any more.
     */
    public void poolChanged(PoolBlocks blocks) {
        pool = Objects.requireNonNull(blocks, "blocks");
    }

    /** Who hears of the plans this node proposes, leading, that leave a subnet short; nobody by default. */
    public void onShortSubnets(ShortSubnets listener) {
        shortSubnets = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Hears of a plan the leader proposes in which a live member holds no block of a subnet whose
     * blocks are all held: the clients of that subnet whose bucket the member answers for get no
     * address. Called on the scheduler's thread, once per such plan.
     */
    @FunctionalInterface
    public interface ShortSubnets {

        /**
         * @param plan the proposed assignment
         * @param lacking each short subnet's name (its first block, {@link PoolBlocks}) and the live
         *     members without a block in it
         */
        void planned(Assignment plan, SortedMap<Ipv4Address, SortedSet<NodeId>> lacking);
    }

    /** Takes a peer's message; messages of other kinds are ignored. */
    public void received(PeerMessage message) {
        if (!running) {
            return;
        }
        Leadership status = election.get();
        if (message instanceof PeerMessage.AssignmentOffer offer) {
            onOffer(status, offer);
        } else if (message instanceof PeerMessage.Grant grant) {
            onGrant(status, grant);
        } else if (message instanceof PeerMessage.AssignmentReport report) {
            if (leadingEpoch(status, report.epoch())) {
                Assignment reported = Assignment.fromRecord(report.accepted());
                noteAccepted(report.from(), reported);
                if (base == null) {
                    reports.put(report.from(), reported);
                    lead(status);
                }
            }
        } else if (message instanceof PeerMessage.AssignmentAccepted ack) {
            if (leadingEpoch(status, ack.epoch())) {
                noteVersion(ack.from(), ack.assignmentEpoch(), ack.sequence());
                if (proposal != null && proposal.isVersion(ack.assignmentEpoch(), ack.sequence())) {
                    proposalAcks.add(ack.from());
                    checkCommit();
                    if (proposal == null) {
                        grantSelf(clock.elapsedNanos()); // what it dealt itself serves now, not at the next tick
                    }
                }
            }
        } else if (message instanceof PeerMessage.GrantRequest request) {
            if (leadingEpoch(status, request.epoch())) {
                onRequest(status, request);
            }
        }
    }

    // ---- the member's part ----

    private void onOffer(Leadership status, PeerMessage.AssignmentOffer offer) {
        if (!follows(status, offer.from(), offer.epoch()) || offer.assignment().epoch() != offer.epoch()) {
            return; // not from the leader this node acknowledged, or not of its epoch
        }
        heardFromLeader = offer.epoch();
        heardFromLeaderAt = clock.elapsedNanos();
        Assignment offered = Assignment.fromRecord(offer.assignment());
        if (offered.isAfter(accepted)) {
            try {
                store.save(offered.toRecord());
            } catch (VoteStoreException e) {
                return; // not durable: not acknowledged, and not accepted
            }
            boolean gains = gains(offered);
            setAccepted(offered);
            peers.send(offer.from(), new PeerMessage.AssignmentAccepted(self, offer.epoch(), offered.epoch(),
                    offered.sequence()));
            if (gains) {
                // What it gains, such as blocks dealt to a node running low, needs a grant of this version:
                // asked now, right behind the acceptance that may commit it, not at the next renew interval.
                requestGrant(status);
            }
            return;
        }
        if (!offered.isAfter(accepted)) {
            peers.send(offer.from(), new PeerMessage.AssignmentAccepted(self, offer.epoch(), offered.epoch(),
                    offered.sequence()));
        }
    }

    /** True if {@code next} gives this node a block or bucket that its holdings lack. */
    private boolean gains(Assignment next) {
        Holdings held = holdings();
        return !held.blocks().containsAll(next.blocksOf(self)) || !held.buckets().containsAll(next.bucketsOf(self));
    }

    private void onGrant(Leadership status, PeerMessage.Grant grant) {
        long now = clock.elapsedNanos();
        if (!follows(status, grant.from(), grant.epoch()) || grant.requestNanos() < startedAt
                || grant.requestNanos() > now || !accepted.isVersion(grant.assignmentEpoch(), grant.sequence())) {
            return;
        }
        heardFromLeader = grant.epoch();
        heardFromLeaderAt = now;
        grantUntil(grant.requestNanos() + timers.grant().toNanos());
    }

    private void grantUntil(long expiry) {
        if (granted != null && granted.equals(accepted)) {
            grantExpiry = Math.max(grantExpiry, expiry);
        } else {
            granted = accepted;
            grantExpiry = expiry;
            holdings = computeHoldings();
        }
    }

    private void setAccepted(Assignment next) {
        accepted = next;
        holdings = computeHoldings();
    }

    /** What both the granted and the latest accepted assignment give this node. */
    private Holdings computeHoldings() {
        if (granted == null) {
            return Holdings.NONE;
        }
        SortedSet<Integer> buckets = new TreeSet<>();
        for (int bucket : granted.bucketsOf(self)) {
            if (accepted.bucketHolder(bucket).filter(self::equals).isPresent()) {
                buckets.add(bucket);
            }
        }
        SortedSet<Ipv4Address> blocks = new TreeSet<>();
        for (Ipv4Address block : granted.blocksOf(self)) {
            if (accepted.blockHolder(block).filter(self::equals).isPresent()) {
                blocks.add(block);
            }
        }
        return new Holdings(granted.epoch(), granted.sequence(), buckets, blocks);
    }

    private void tick() {
        if (!running) {
            return;
        }
        tick = scheduler.schedule(timers.renewInterval(), this::tick);
        Leadership status = election.get();
        if (leading(status)) {
            lead(status);
            return;
        }
        leaderEpoch = -1;
        if (requestGrant(status)) {
            long epoch = status.epoch();
            // A leader that leads the same epoch again learns anew: it has sent nothing for a while then.
            if (heardFromLeader != epoch || clock.elapsedNanos() - heardFromLeaderAt > 2 * timers.renewInterval().toNanos()) {
                peers.send(status.leader().orElseThrow(), new PeerMessage.AssignmentReport(self, epoch,
                        accepted.toRecord()));
            }
        }
    }

    /**
     * Asks the leader this node follows for a grant of its latest accepted assignment, with its count
     * of free addresses, if it can serve; true if it follows a leader other than itself.
     */
    private boolean requestGrant(Leadership status) {
        Optional<NodeId> leader = status.leader();
        if (leader.isEmpty() || leader.get().equals(self) || !follows(status, leader.get(), status.epoch())) {
            return false;
        }
        if (canServe.getAsBoolean()) {
            peers.send(leader.get(), new PeerMessage.GrantRequest(self, status.epoch(), clock.elapsedNanos(),
                    accepted.epoch(), accepted.sequence(), freeBySubnet()));
        }
        return true;
    }

    /**
     * This node's free addresses in some subnet may have fallen below the low water since it last
     * counted them (the caller knows how many clients it bound since): counts them and, if they
     * have, reports at once instead of at the next renew interval, so that the refill starts now. A
     * member sends its leader a grant request with the counts, on which the leader plans at once; a
     * leader plans.
     *
     * @return the fewest free addresses this node has in any subnet, in the blocks of its latest
     *     accepted assignment ({@link Long#MAX_VALUE} when the pools have no block)
     */
    public long checkFree() {
        long count = freeBySubnet().values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        if (!running || count >= rules.lowWater() || !canServe.getAsBoolean()) {
            return count;
        }
        Leadership status = election.get();
        if (leading(status)) {
            if (leaderEpoch == status.epoch() && proposal == null) {
                lead(status);
            }
        } else {
            requestGrant(status);
        }
        return count;
    }

    /** This node's free addresses in the blocks its latest accepted assignment gives it, per subnet. */
    private SortedMap<Ipv4Address, Long> freeBySubnet() {
        SortedMap<Ipv4Address, Long> counts = new TreeMap<>();
        pool.split(accepted.blocksOf(self)).forEach((subnet, held) ->
                counts.put(subnet, held.isEmpty() ? 0 : Math.max(0, freeAddresses.applyAsLong(held))));
        return counts;
    }

    // ---- the leader's part ----

    private void lead(Leadership status) {
        long now = clock.elapsedNanos();
        if (leaderEpoch != status.epoch()) {
            leaderEpoch = status.epoch();
            leaderSince = now;
            reports.clear();
            base = null;
            committed = null;
            proposal = null;
            proposalAcks.clear();
            lastGranted.clear();
            lastAsked.clear();
            latestAccepted.clear();
            free.clear();
            revoked.clear();
            heardFromLeader = leaderEpoch;
        }
        boolean serving = canServe.getAsBoolean();
        if (serving) {
            lastAsked.put(self, now);
            // The leader asks itself no grant, so its own count is taken here: without it the planner
            // would take the leader for a node with plenty free and never give it another block.
            free.put(self, freeBySubnet());
        }
        if (base == null) {
            reports.put(self, accepted);
            if (reports.size() < majority) {
                return;
            }
            base = reports.values().stream().reduce((a, b) -> b.isAfter(a) ? b : a).orElseThrow();
        }
        if (proposal == null) {
            Assignment current = committed != null ? committed : base;
            // The election may make a node lead the same epoch again; its own accepted assignment, in the
            // reports, is the last it proposed then, so numbering on from the base never reuses a version.
            long sequence = (committed != null ? committed.sequence()
                    : base.epoch() == leaderEpoch ? base.sequence() : 0) + 1;
            AssignmentPlanner.Input input = planInput(current, now);
            Assignment next = AssignmentPlanner.plan(input, rules, leaderEpoch, sequence);
            if (committed == null || !next.sameHoldings(committed)) {
                if (propose(next)) {
                    SortedMap<Ipv4Address, SortedSet<NodeId>> lacking = AssignmentPlanner.subnetsShort(next, pool,
                            input.live());
                    if (!lacking.isEmpty()) {
                        shortSubnets.planned(next, lacking);
                    }
                }
            }
        } else {
            PeerMessage.AssignmentOffer offer = new PeerMessage.AssignmentOffer(self, leaderEpoch, proposal.toRecord());
            for (NodeId member : members) {
                if (!proposalAcks.contains(member)) {
                    peers.send(member, offer);
                }
            }
        }
        grantSelf(now);
    }

    /** The leader grants itself the committed assignment, if it accepted it and can serve. */
    private void grantSelf(long now) {
        boolean acceptedIsCommitted = committed != null && accepted.equals(committed);
        if (shortcut == Shortcut.SELF_GRANT_BEFORE_COMMIT && proposal != null && accepted.equals(proposal)) {
            acceptedIsCommitted = true;
        }
        if (canServe.getAsBoolean() && acceptedIsCommitted) {
            lastGranted.put(self, now);
            grantUntil(now + timers.grant().toNanos());
        }
    }

    private AssignmentPlanner.Input planInput(Assignment current, long now) {
        Set<NodeId> live = new TreeSet<>();
        Set<NodeId> released = new TreeSet<>();
        for (NodeId member : members) {
            Long asked = lastAsked.get(member);
            if (asked != null && now - asked <= timers.liveWindow().toNanos()) {
                live.add(member);
            } else if (shortcut == Shortcut.NO_LAPSE_WAIT || lapsed(member, now)) {
                released.add(member);
            }
        }
        boolean takingOver = shortcut != Shortcut.NO_LAPSE_WAIT && now - leaderSince < takeoverWait
                && base.isAfter(Assignment.NONE);
        Set<Integer> frozenBuckets = new HashSet<>();
        Set<Ipv4Address> frozenBlocks = new HashSet<>();
        if (takingOver) {
            for (int bucket = 0; bucket < LoadBalancing.BUCKETS; bucket++) {
                frozenBuckets.add(bucket);
            }
            frozenBlocks.addAll(pool.all());
        } else {
            revoked.entrySet().removeIf(entry -> current.bucketHolder(entry.getKey()).isPresent()
                    || released(entry.getValue(), now));
            frozenBuckets.addAll(revoked.keySet());
        }
        PoolBlocks planned = shortcut == Shortcut.ONE_POOL_FOR_ALL_SUBNETS ? PoolBlocks.oneSubnet(pool.all()) : pool;
        return new AssignmentPlanner.Input(current, planned, live, released, frozenBuckets, frozenBlocks, free,
                Set.copyOf(members));
    }

    /** True once the member that lost a bucket accepted a version without it, or its grant must have lapsed. */
    private boolean released(Revocation revocation, long now) {
        Assignment latest = revocation.from().equals(self) ? accepted : latestAccepted.get(revocation.from());
        return (latest != null && !revocation.version().isAfter(latest)) || lapsed(revocation.from(), now);
    }

    /** True if any grant {@code member} may hold must have lapsed on its own clock. */
    private boolean lapsed(NodeId member, long now) {
        if (shortcut == Shortcut.NO_LAPSE_WAIT) {
            return true;
        }
        if (now - leaderSince < takeoverWait) {
            return false;
        }
        Long granted = lastGranted.get(member);
        return granted == null || now - granted >= lapseWait;
    }

    /** Proposes {@code next}; false if it could not be saved (it is planned again at the next tick). */
    private boolean propose(Assignment next) {
        try {
            store.save(next.toRecord());
        } catch (VoteStoreException e) {
            return false; // tried again at the next tick
        }
        setAccepted(next);
        proposal = next;
        proposalAcks.clear();
        proposalAcks.add(self);
        peers.sendToAll(new PeerMessage.AssignmentOffer(self, leaderEpoch, next.toRecord()));
        if (shortcut == Shortcut.SELF_GRANT_BEFORE_COMMIT) {
            grantSelf(clock.elapsedNanos());
        }
        checkCommit();
        return true;
    }

    private void checkCommit() {
        if (proposal == null || proposalAcks.size() < majority) {
            return;
        }
        Assignment previous = committed != null ? committed : base;
        committed = proposal;
        proposal = null;
        // A member's count was of the blocks it held before: once it holds others, the count is unknown
        // until it reports again, or the next plan would deal it blocks a second time for the same need.
        free.keySet().removeIf(member -> !member.equals(self)
                && !previous.blocksOf(member).equals(committed.blocksOf(member)));
        for (int bucket = 0; bucket < LoadBalancing.BUCKETS; bucket++) {
            Optional<NodeId> before = previous.bucketHolder(bucket);
            if (before.isPresent() && committed.bucketHolder(bucket).isEmpty()) {
                revoked.put(bucket, new Revocation(before.get(), committed));
            }
        }
    }

    private void onRequest(Leadership status, PeerMessage.GrantRequest request) {
        long now = clock.elapsedNanos();
        NodeId from = request.from();
        lastAsked.put(from, now);
        noteVersion(from, request.assignmentEpoch(), request.sequence());
        if (committed == null) {
            return;
        }
        if (committed.isVersion(request.assignmentEpoch(), request.sequence())) {
            free.put(from, request.freeBySubnet());
            lastGranted.put(from, now);
            peers.send(from, new PeerMessage.Grant(self, leaderEpoch, request.requestNanos(), committed.epoch(),
                    committed.sequence()));
            boolean low = request.freeBySubnet().values().stream().anyMatch(count -> count < rules.lowWater());
            if (low && proposal == null) {
                lead(status); // a member running low is dealt blocks now, not at the next renew interval
            }
        } else if (proposal == null && committed.isAfter(versionOf(request))) {
            peers.send(from, new PeerMessage.AssignmentOffer(self, leaderEpoch, committed.toRecord()));
        }
    }

    private static Assignment versionOf(PeerMessage.GrantRequest request) {
        return request.assignmentEpoch() == 0 ? Assignment.NONE
                : Assignment.fromRecord(new AssignmentRecord(request.assignmentEpoch(), request.sequence(),
                        new TreeMap<>(), new TreeMap<>()));
    }

    private void noteVersion(NodeId member, long epoch, long sequence) {
        if (epoch == 0) {
            return;
        }
        noteAccepted(member, Assignment.fromRecord(new AssignmentRecord(epoch, sequence, new TreeMap<>(),
                new TreeMap<>())));
    }

    private void noteAccepted(NodeId member, Assignment version) {
        Assignment known = latestAccepted.get(member);
        if (known == null || version.isAfter(known)) {
            latestAccepted.put(member, version);
        }
    }

    // ---- the election's state ----

    private boolean leading(Leadership status) {
        return status.leading() && status.epoch() > 0;
    }

    private boolean leadingEpoch(Leadership status, long epoch) {
        return leading(status) && status.epoch() == epoch && leaderEpoch == epoch;
    }

    /** True if this node acknowledged {@code leader} in {@code epoch} and follows it. */
    private boolean follows(Leadership status, NodeId leader, long epoch) {
        return status.follows(leader, epoch, self);
    }
}
