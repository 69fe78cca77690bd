package dev.dhcpcluster.core.cluster;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerMessage.ServerConfigOffer;
import dev.dhcpcluster.port.peer.PeerTransport;
import dev.dhcpcluster.port.time.Cancellable;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which {@code Dhcp4} configuration a node serves: the leader's, distributed with a version and a
 * hash, or its own file's. A single-threaded state machine driven by the election's state
 * ({@link Leadership}), peer messages, connections, the node's own configuration and a timer. It
 * knows configurations only as canonical text (compact JSON, keys sorted, made by the runtime) and
 * their SHA-256; what a text means, and serving it, is its {@link Target}'s business.
 *
 * <h2>Who serves what</h2>
 * <ul>
 *   <li>A node that leads serves its own configuration, and offers it ({@code ServerConfigOffer})
 *       to every member when it starts leading an epoch, to a member when it connects, when its own
 *       configuration changes, and again every refresh interval, since the transport may drop a
 *       message.</li>
 *   <li>A node that follows a leader serves the leader's configuration: an offer from the leader it
 *       acknowledged, in that epoch, whose version is later than the one it follows. If the hash is
 *       the one it serves already it only records the version; otherwise it asks the target to serve
 *       it, and a target that refuses it (it does not resolve here) leaves the node on what it served;
 *       the refused version is tried again when the leader repeats it, at most once per refresh
 *       interval.
 *       A change of its own file is then set aside: it stays the leader's.</li>
 *   <li>A node that has not followed any leader's configuration, or that is alone, serves its own;
 *       a node between two leaders keeps what it serves until it follows or leads again.</li>
 * </ul>
 *
 * <h2>Versions</h2>
 * A version is (leader's epoch, a counter the leader raises for each configuration it offers in
 * that epoch): a follower never goes back to an earlier leader's configuration, and an offer of an
 * earlier epoch, arriving late, is ignored. A node may lead the same epoch again after a restart and
 * count from 1 again; since a peer's messages arrive in order within one connection, a follower
 * takes the first offer after its leader reconnects whatever its counter, and orders by version
 * again from there.
 *
 * <p>An offer can arrive before its receiver acknowledged the epoch (a member that just connected
 * and has not yet heard the leader's heartbeat): the latest such offer is kept, and followed once
 * the node follows its sender in its epoch.
 *
 * <h2>Size</h2>
 * An offer carries the whole text in one message, which must fit the transport's largest frame: a
 * leader whose configuration is longer than {@code maxConfigBytes} sends nothing and tells its
 * target once per version, and its followers keep what they serve.
 *
 * <h2>Threads</h2>
 * Not thread-safe: every method, the target's included, runs on the scheduler's thread.
 */
public final class ConfigDistribution {

    /** A leader's refresh interval for a runtime that has no reason to choose another. */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(30);

    /** What became of a change of the node's own configuration ({@link #ownChanged}). */
    public enum OwnChange {
        /** The node serves its own configuration, and it was handed to the target. */
        SERVED,
        /** The node follows the leader's configuration, and keeps it: the change is set aside. */
        SET_ASIDE,
        /** The target refused the node's own configuration; the node goes on with what it served. */
        REFUSED
    }

    /**
     * Where the decisions go: the runtime's side, which resolves a canonical text into a server
     * configuration, serves it and logs. Called on the scheduler's thread.
     */
    public interface Target {

        /**
         * Serve the leader's configuration instead of the one served now.
         *
         * @param offer the leader's offer; its text differs from what is served
         * @param own this node's own configuration, canonical, to tell the operator how it differs
         * @return true if the node serves it now; false if it refused it and goes on with what it served
         */
        boolean followLeader(ServerConfigOffer offer, String own);

        /**
         * Serve this node's own configuration (again).
         *
         * @param own this node's own configuration, canonical
         * @param leaving the leader's configuration served until now, if any (the node leads now)
         * @return true if the node serves it now; false if it refused it and goes on with what it served
         */
        boolean serveOwn(String own, Optional<ServerConfigOffer> leaving);

        /**
         * This node's own configuration changed while it follows {@code followed}: the leader's
         * stays served. The target says so if the two texts differ, and applies what stays local
         * to each node.
         */
        void ownSetAside(ServerConfigOffer followed, String own);

        /**
         * This leader's configuration of version {@code epoch.version} has {@code bytes} bytes of
         * UTF-8, more than the {@code limit} an offer may carry: it is not sent.
         */
        void tooLarge(long epoch, long version, int bytes, int limit);
    }

    private final NodeId self;
    private final Clock clock;
    private final Scheduler scheduler;
    private final PeerTransport peers;
    private final Supplier<Leadership> election;
    private final Target target;
    private final Duration checkInterval;
    private final long refreshNanos;
    private final int maxConfigBytes;

    private boolean running;
    private Cancellable tick;

    private String own;
    private String ownHash;
    private String servedHash;

    // ---- the follower's part ----
    /** The latest leader's version this node follows, served or refused; null before any. */
    private ServerConfigOffer followed;
    /** The leader's configuration served now; null while the node serves its own. */
    private ServerConfigOffer leaderServed;
    /** The latest offer from a node this node does not follow yet. */
    private ServerConfigOffer pending;
    /** True once the leader of {@link #followed} reconnected: its next offer counts whatever its counter. */
    private boolean leaderReconnected;
    /** When this node last asked its target to serve a leader's configuration. */
    private long attemptedAt;

    // ---- the leader's part ----
    /** What this node offers while it leads; null while it does not. */
    private ServerConfigOffer offering;
    private int offeringBytes;
    private long lastEpoch;
    private long lastVersion;
    private long sentToAllAt;
    private ServerConfigOffer reportedTooLarge;

    /**
     * One node's distribution.
     *
     * @param self this node
     * @param clock only {@link Clock#elapsedNanos()} is read
     * @param scheduler runs the timer, on the thread every method must be called on
     * @param peers carries the offers
     * @param election where this node stands in the election now
     * @param target serves and logs what is decided here
     * @param checkInterval how often the election's state is read (the heartbeat interval, say)
     * @param refreshInterval how often a leader offers its configuration again to every member
     * @param maxConfigBytes the most UTF-8 bytes of text one offer may carry (the transport's largest
     *     frame, less room for the other fields)
     */
    public ConfigDistribution(NodeId self, Clock clock, Scheduler scheduler, PeerTransport peers,
            Supplier<Leadership> election, Target target, Duration checkInterval, Duration refreshInterval,
            int maxConfigBytes) {
        this.self = Objects.requireNonNull(self, "self");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.election = Objects.requireNonNull(election, "election");
        this.target = Objects.requireNonNull(target, "target");
        this.checkInterval = Objects.requireNonNull(checkInterval, "checkInterval");
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("the check interval is positive, not " + checkInterval);
        }
        if (refreshInterval.compareTo(checkInterval) < 0) {
            throw new IllegalArgumentException("the refresh interval " + refreshInterval
                    + " is shorter than the check interval " + checkInterval);
        }
        this.refreshNanos = refreshInterval.toNanos();
        if (maxConfigBytes < 1) {
            throw new IllegalArgumentException("an offer carries at least one byte, not " + maxConfigBytes);
        }
        this.maxConfigBytes = maxConfigBytes;
    }

    /**
     * Starts with {@code own}, the configuration the node serves at start (its own file's), and
     * starts the timer.
     *
     * @throws IllegalStateException if started twice
     */
    public void start(String own) {
        if (running || tick != null) {
            throw new IllegalStateException("the configuration distribution of " + self + " was started already");
        }
        setOwn(own);
        servedHash = ownHash;
        running = true;
        tick = scheduler.schedule(checkInterval, this::tick);
        electionChanged();
    }

    /** Stops: no more messages or timers. Idempotent. */
    public void stop() {
        running = false;
        if (tick != null) {
            tick.cancel();
        }
    }

    /**
     * Reads the election's state now rather than at the next timer: a leader that has just started
     * leading offers at once. The runtime may call it whenever the election changes.
     */
    public void electionChanged() {
        if (!running) {
            return;
        }
        Leadership status = election.get();
        if (leading(status)) {
            lead(status);
            return;
        }
        offering = null;
        if (pending != null) {
            ServerConfigOffer waiting = pending;
            if (status.follows(waiting.from(), waiting.epoch(), self)) {
                pending = null;
                follow(waiting);
            } else if (waiting.epoch() < status.epoch()) {
                pending = null;
            }
        }
    }

    /**
     * The node's own configuration changed (its file was reloaded): served if the node leads or
     * follows no leader's configuration, offered to every member if it leads, set aside otherwise.
     *
     * @param canonical the new configuration, canonical
     */
    public OwnChange ownChanged(String canonical) {
        if (!running) {
            throw new IllegalStateException("the configuration distribution of " + self + " is not running");
        }
        setOwn(canonical);
        Leadership status = election.get();
        if (leading(status)) {
            if (offering == null || offering.epoch() != status.epoch()) {
                lead(status); // it had not noticed yet that it leads
            }
            // Handed over even when the text is the same: the file's own local settings may have changed.
            if (!target.serveOwn(own, Optional.empty())) {
                return OwnChange.REFUSED;
            }
            servedHash = ownHash;
            if (!ownHash.equals(offering.sha256())) {
                offer(status.epoch());
            }
            return OwnChange.SERVED;
        }
        if (leaderServed != null) {
            target.ownSetAside(leaderServed, own);
            return OwnChange.SET_ASIDE;
        }
        // A node that follows no leader's configuration serves its own file, as a node alone does.
        if (!target.serveOwn(own, Optional.empty())) {
            return OwnChange.REFUSED;
        }
        servedHash = ownHash;
        return OwnChange.SERVED;
    }

    /** Takes a peer's message; messages of other kinds are ignored. */
    public void received(PeerMessage message) {
        if (!running || !(message instanceof ServerConfigOffer offer) || offer.from().equals(self)) {
            return;
        }
        Leadership status = election.get();
        if (leading(status)) {
            return; // a leader serves its own
        }
        if (status.follows(offer.from(), offer.epoch(), self)) {
            follow(offer);
        } else if (offer.epoch() >= status.epoch() && (pending == null || !pending.isAfter(offer))) {
            pending = offer; // perhaps the next leader, whose epoch this node has not acknowledged yet
        }
    }

    /** {@code peer} connected: a leader offers it its configuration; a follower's leader may have restarted. */
    public void connected(NodeId peer) {
        if (!running) {
            return;
        }
        if (followed != null && followed.from().equals(peer)) {
            leaderReconnected = true;
        }
        Leadership status = election.get();
        if (!leading(status)) {
            return;
        }
        if (offering == null || offering.epoch() != status.epoch()) {
            lead(status); // offers to every member, this one included
        } else if (fits()) {
            peers.send(peer, offering);
        }
    }

    /** The leader's configuration this node serves now; empty while it serves its own. */
    public Optional<ServerConfigOffer> followedLeader() {
        return Optional.ofNullable(leaderServed);
    }

    /** What this node offers while it leads; empty while it does not. */
    public Optional<ServerConfigOffer> offering() {
        return Optional.ofNullable(offering);
    }

    /** The SHA-256 of the configuration this node serves now. */
    public String servedSha256() {
        return servedHash;
    }

    private void tick() {
        if (!running) {
            return;
        }
        tick = scheduler.schedule(checkInterval, this::tick);
        electionChanged();
    }

    // ---- the follower's part ----

    private void follow(ServerConfigOffer offer) {
        boolean restarted = leaderReconnected && followed != null && offer.from().equals(followed.from())
                && offer.epoch() == followed.epoch();
        // A version refused here (the node was still starting, an interface was missing) is tried
        // again when the leader repeats it, at most once per refresh interval.
        boolean retry = offer.equals(followed) && leaderServed != followed
                && clock.elapsedNanos() - attemptedAt >= refreshNanos;
        if (followed != null && !offer.isAfter(followed) && !restarted && !retry) {
            return; // a repeat, or older
        }
        leaderReconnected = false;
        followed = offer;
        if (pending != null && !pending.isAfter(offer)) {
            pending = null;
        }
        if (offer.sha256().equals(servedHash)) {
            leaderServed = offer; // the same text: only the version is recorded
            return;
        }
        attemptedAt = clock.elapsedNanos();
        if (target.followLeader(offer, own)) {
            servedHash = offer.sha256();
            leaderServed = offer;
        }
    }

    // ---- the leader's part ----

    private void lead(Leadership status) {
        if (offering != null && offering.epoch() == status.epoch()) {
            if (clock.elapsedNanos() - sentToAllAt >= refreshNanos) {
                sendToAll();
            }
            return;
        }
        // Starts leading this epoch: serves its own configuration, and offers it.
        followed = null;
        pending = null;
        leaderReconnected = false;
        if (!ownHash.equals(servedHash) && target.serveOwn(own, Optional.ofNullable(leaderServed))) {
            servedHash = ownHash;
        }
        leaderServed = null;
        offer(status.epoch());
    }

    /** Offers the own configuration under a new version of {@code epoch}, to every member. */
    private void offer(long epoch) {
        long version = lastEpoch == epoch ? lastVersion + 1 : 1;
        lastEpoch = epoch;
        lastVersion = version;
        offering = new ServerConfigOffer(self, epoch, version, ownHash, own);
        offeringBytes = own.getBytes(StandardCharsets.UTF_8).length;
        sendToAll();
    }

    private void sendToAll() {
        sentToAllAt = clock.elapsedNanos();
        if (fits()) {
            peers.sendToAll(offering);
        }
    }

    /** True if the offer fits a message; tells the target once per version when it does not. */
    private boolean fits() {
        if (offeringBytes <= maxConfigBytes) {
            return true;
        }
        if (reportedTooLarge != offering) {
            reportedTooLarge = offering;
            target.tooLarge(offering.epoch(), offering.version(), offeringBytes, maxConfigBytes);
        }
        return false;
    }

    private void setOwn(String canonical) {
        own = Objects.requireNonNull(canonical, "canonical");
        ownHash = ServerConfigOffer.sha256(canonical);
    }

    private static boolean leading(Leadership status) {
        return status.leading() && status.epoch() > 0;
    }
}
