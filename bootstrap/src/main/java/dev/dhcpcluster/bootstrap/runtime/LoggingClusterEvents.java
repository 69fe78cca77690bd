package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.core.text.SafeText;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerRefusal;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.port.telemetry.ElectionEvent;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every event by type and reason, and logs the notable ones, one line each: a bound lease
 * at debug, a declined address at warn, an exhausted pool at warn (at most once per interval per
 * subnet), a failed store write at warn (at most once per interval), a failed store commit at warn
 * with its cause (at most once per interval) and the first commit after failures at info, a
 * malformed datagram at debug with a summary at info after each interval in which any arrived, a
 * refused host name at info (at most once per interval, the others at debug).
 *
 * <p>Whatever a client chose (a host name, an identity or sub-option quoted in a drop's detail)
 * is escaped with {@link SafeText#inline} before it reaches a log line, so that a name holding a
 * newline or an escape sequence cannot forge a line or recolour a terminal.
 *
 * <p>The cluster's events are logged one line each: every step of the election at info (a node that
 * leads, follows, loses its leader or steps down is what an operator looks for), a peer that
 * connects or disconnects at info, and a refused peer at warn, at most once per interval per reason
 * (the rest at debug, all counted), its detail escaped since it may quote what the remote sent. A
 * second connection refused because the pair is connected already is the normal end of two nodes
 * dialing each other at once: it is logged at info, every time.
 *
 * <p>Each commit is also handed to a {@link StoreCommitObserver}, for what needs every commit
 * rather than the totals kept here.
 *
 * <p>Thread-safe, as the port requires (the store reports from its own thread), and cheap on the
 * per-packet paths: counters are {@link LongAdder}s and atomics.
 */
public final class LoggingClusterEvents implements ClusterEvents {

    private static final Logger LOG = LoggerFactory.getLogger("dhcpcluster.events");

    private final Clock clock;
    private final Scheduler scheduler;
    private final Duration interval;
    private final StoreCommitObserver commitObserver;
    private final Map<DhcpMessageType, LongAdder> requests = counters(DhcpMessageType.class);
    private final Map<DhcpMessageType, LongAdder> replies = counters(DhcpMessageType.class);
    private final Map<DropReason, LongAdder> drops = counters(DropReason.class);
    private final LongAdder bound = new LongAdder();
    private final LongAdder released = new LongAdder();
    private final LongAdder declined = new LongAdder();
    private final LongAdder exhausted = new LongAdder();
    private final LongAdder hostnamesRefused = new LongAdder();
    private final Map<String, Long> lastWarning = new HashMap<>();
    private final LongAdder malformedSinceSummary = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder changesCommitted = new LongAdder();
    private final AtomicInteger lastBatch = new AtomicInteger();
    private final AtomicInteger maxBatch = new AtomicInteger();
    private final LongAdder commitNanosTotal = new LongAdder();
    private final AtomicLong commitNanosMax = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();
    private final LongAdder commitFailures = new LongAdder();
    private final AtomicLong failuresSinceLastCommit = new AtomicLong();
    private final AtomicBoolean summaryPending = new AtomicBoolean();
    private final Map<ElectionEvent.Kind, LongAdder> electionEvents = counters(ElectionEvent.Kind.class);
    private final LongAdder peersConnected = new LongAdder();
    private final LongAdder peersDisconnected = new LongAdder();
    private final Map<PeerRefusal, LongAdder> peerRefusals = counters(PeerRefusal.class);

    /**
     * @param clock for the rate limits
     * @param scheduler runs the periodic malformed-datagram summary
     * @param interval the rate-limit and summary interval
     */
    public LoggingClusterEvents(Clock clock, Scheduler scheduler, Duration interval) {
        this(clock, scheduler, interval, StoreCommitObserver.NONE);
    }

    /**
     * @param clock for the rate limits
     * @param scheduler runs the periodic malformed-datagram summary
     * @param interval the rate-limit and summary interval
     * @param commitObserver is told of every commit, after it is counted
     */
    public LoggingClusterEvents(Clock clock, Scheduler scheduler, Duration interval,
            StoreCommitObserver commitObserver) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.interval = interval;
        this.commitObserver = commitObserver;
    }

    @Override
    public void requestReceived(DhcpMessageType type) {
        requests.get(type).increment();
    }

    @Override
    public void replySent(DhcpMessageType type) {
        replies.get(type).increment();
    }

    @Override
    public void dropped(DropReason reason, String detail) {
        drops.get(reason).increment();
        switch (reason) {
            case MALFORMED -> {
                LOG.debug("dropped a malformed datagram: {}", SafeText.inline(detail));
                malformedSinceSummary.increment();
                if (summaryPending.compareAndSet(false, true)) {
                    scheduler.schedule(interval, this::summarizeMalformed);
                }
            }
            case STORE_FAILED -> {
                if (firstIn("store")) {
                    LOG.warn("lease store failed, no reply sent: {} (further failures counted, not logged, for {} s)",
                            SafeText.inline(detail), interval.toSeconds());
                }
            }
            default -> LOG.debug("dropped ({}): {}", reason, SafeText.inline(detail));
        }
    }

    @Override
    public void hostnameRefused(int option, String name) {
        hostnamesRefused.increment();
        if (firstIn("hostname")) {
            LOG.info("not storing a host name that is not a valid DNS name: option {} \"{}\" (the request is served "
                    + "without it; further refusals logged at DEBUG for {} s)", option, SafeText.inline(name),
                    interval.toSeconds());
        } else {
            LOG.debug("not storing a host name that is not a valid DNS name: option {} \"{}\"", option,
                    SafeText.inline(name));
        }
    }

    @Override
    public void leaseBound(Lease lease) {
        bound.increment();
        if (LOG.isDebugEnabled()) {
            LOG.debug("lease bound: {} to {} ({}{}) until {}", lease.address(), lease.clientKey(), lease.hardwareAddress(),
                    lease.hostname().map(name -> ", " + SafeText.inline(name)).orElse(""), lease.expiry());
        }
    }

    @Override
    public void leaseReleased(Lease lease) {
        released.increment();
        LOG.debug("lease released: {} by {}", lease.address(), lease.clientKey());
    }

    @Override
    public void addressDeclined(Lease lease) {
        declined.increment();
        LOG.warn("address {} declined by {} ({}): another host uses it; out of use until {}", lease.address(),
                lease.clientKey(), lease.hardwareAddress(), lease.expiry());
    }

    @Override
    public void poolExhausted(Ipv4Address subnet, int prefixLength) {
        exhausted.increment();
        String key = "pool " + subnet + "/" + prefixLength;
        if (firstIn(key)) {
            LOG.warn("pool of {}/{} exhausted: a new client got no address (not repeated for {} s)", subnet,
                    prefixLength, interval.toSeconds());
        }
    }

    @Override
    public void storeCommitted(int changes, Duration latency, int pendingChanges) {
        commits.increment();
        changesCommitted.add(changes);
        lastBatch.set(changes);
        maxBatch.accumulateAndGet(changes, Math::max);
        long nanos = latency.toNanos();
        commitNanosTotal.add(nanos);
        commitNanosMax.accumulateAndGet(nanos, Math::max);
        pending.set(pendingChanges);
        commitObserver.committed(changes, latency);
        long failedBefore = failuresSinceLastCommit.getAndSet(0);
        if (failedBefore > 0) {
            LOG.info("lease store commits succeed again, after {} failed commit{}", failedBefore,
                    failedBefore == 1 ? "" : "s");
        }
    }

    @Override
    public void storeFailed(String cause, int pendingChanges) {
        commitFailures.increment();
        failuresSinceLastCommit.incrementAndGet();
        pending.set(pendingChanges);
        if (firstIn("store commit")) {
            LOG.warn("lease store commit failed, its leases are not acknowledged: {} ({} change{} waiting; further "
                    + "failures counted, not logged, for {} s)", cause, pendingChanges, pendingChanges == 1 ? "" : "s",
                    interval.toSeconds());
        }
    }

    @Override
    public void election(ElectionEvent event) {
        electionEvents.get(event.kind()).increment();
        LOG.info("election: {} in epoch {}, leader {}: {}", event.kind().name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', ' '), event.epoch(), event.leader().map(leader -> String.valueOf(leader.value())).orElse("none"),
                SafeText.inline(event.detail()));
    }

    @Override
    public void peerConnected(NodeId peer) {
        peersConnected.increment();
        LOG.info("peer {} connected", peer.value());
    }

    @Override
    public void peerDisconnected(NodeId peer, String reason) {
        peersDisconnected.increment();
        LOG.info("peer {} disconnected: {}", peer.value(), SafeText.inline(reason));
    }

    @Override
    public void peerRefused(PeerRefusal reason, String remote, String detail) {
        peerRefusals.get(reason).increment();
        if (reason == PeerRefusal.ALREADY_CONNECTED) {
            // The expected end of two nodes dialing each other at once: one connection is kept.
            LOG.info("peer refused ({}): {}: {}", reason, SafeText.inline(remote), SafeText.inline(detail));
        } else if (firstIn("peer refused " + reason)) {
            LOG.warn("peer refused ({}): {}: {} (further {} refusals logged at DEBUG for {} s)", reason,
                    SafeText.inline(remote), SafeText.inline(detail), reason, interval.toSeconds());
        } else {
            LOG.debug("peer refused ({}): {}: {}", reason, SafeText.inline(remote), SafeText.inline(detail));
        }
    }

    /** The cluster's counts so far: election steps by kind, peer connections, refusals by reason. */
    public ClusterCounts clusterCounts() {
        return new ClusterCounts(snapshot(electionEvents), peersConnected.sum(), peersDisconnected.sum(),
                snapshot(peerRefusals));
    }

    /**
     * What the cluster's events came to.
     *
     * @param elections election steps by kind
     * @param connected peer connections made
     * @param disconnected peer connections ended
     * @param refusals peers refused, by reason
     */
    public record ClusterCounts(Map<ElectionEvent.Kind, Long> elections, long connected, long disconnected,
            Map<PeerRefusal, Long> refusals) {

        public ClusterCounts {
            elections = Map.copyOf(elections);
            refusals = Map.copyOf(refusals);
        }

        /** Election steps of {@code kind}. */
        public long elections(ElectionEvent.Kind kind) {
            return elections.getOrDefault(kind, 0L);
        }

        /** Refusals for {@code reason}. */
        public long refusals(PeerRefusal reason) {
            return refusals.getOrDefault(reason, 0L);
        }
    }

    /** The counts so far. */
    public EventCounts counts() {
        EventCounts.StoreCounts store = new EventCounts.StoreCounts(commits.sum(), changesCommitted.sum(),
                lastBatch.get(), maxBatch.get(), Duration.ofNanos(commitNanosTotal.sum()),
                Duration.ofNanos(commitNanosMax.get()), pending.get(), commitFailures.sum());
        return new EventCounts(snapshot(requests), snapshot(replies), snapshot(drops), bound.sum(), released.sum(),
                declined.sum(), exhausted.sum(), hostnamesRefused.sum(), store);
    }

    private void summarizeMalformed() {
        summaryPending.set(false);
        long count = malformedSinceSummary.sumThenReset();
        if (count > 0) {
            LOG.info("dropped {} malformed datagram{} in the last {} s", count, count == 1 ? "" : "s",
                    interval.toSeconds());
        }
    }

    /**
     * True if no warning under {@code key} was logged within the interval; records this one.
     * Synchronized: it runs only for the rare events that warn, never per packet.
     */
    private synchronized boolean firstIn(String key) {
        long now = clock.millis();
        Long last = lastWarning.get(key);
        if (last != null && now - last < interval.toMillis()) {
            return false;
        }
        lastWarning.put(key, now);
        return true;
    }

    private static <E extends Enum<E>> Map<E, LongAdder> counters(Class<E> type) {
        Map<E, LongAdder> map = new EnumMap<>(type);
        for (E constant : type.getEnumConstants()) {
            map.put(constant, new LongAdder());
        }
        return map;
    }

    private static <E extends Enum<E>> Map<E, Long> snapshot(Map<E, LongAdder> counters) {
        Map<E, Long> copy = new HashMap<>();
        counters.forEach((key, counter) -> copy.put(key, counter.sum()));
        return copy;
    }
}
