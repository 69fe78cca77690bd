package dev.dhcpcluster.testkit.client;

import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.time.Cancellable;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs many {@link ClientSession}s against a server, a bounded number at a time, and checks the
 * result as a whole: no address may be leased to two clients, every client must get a lease.
 *
 * <p>A {@link #renewing renewal run} starts from clients that hold leases already: each renews
 * (RENEWING straight to its server, then REBINDING through the relay if that server is silent) and
 * must keep its address, again with no address held by two clients.
 *
 * <p>It has no socket: messages leave through {@code out} and replies come in through
 * {@link #receive}. Every method must be called on the thread of {@code scheduler}, which also
 * runs the timeouts; the caller hands received replies over with {@code scheduler.execute}.
 */
public final class LoadGenerator {

    private final LoadSettings settings;
    private final Scheduler scheduler;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Sender out;
    private final Consumer<Ack> acks;
    private final SplittableRandom xids;
    private final CompletableFuture<ClientReport> result = new CompletableFuture<>();
    /** The leases a renewal run renews, one client each; null for a run of new clients. */
    private final List<HeldLease> held;
    /** How many times a renewal run's RENEWING REQUEST is sent again before the client rebinds. */
    private final int unicastRetries;

    private final Map<Integer, ClientSession> byXid = new HashMap<>();
    private final Map<ClientSession, Cancellable> timers = new HashMap<>();
    private final Map<ClientSession, Long> startedAt = new HashMap<>();
    /** When each session's outstanding REQUEST was first sent (wall clock), for the expiry of its ACK. */
    private final Map<ClientSession, Long> requestSentAt = new HashMap<>();
    private final Map<Ipv4Address, ClientSession> holders = new LinkedHashMap<>();
    private final List<ClientSession> bound = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> duplicates = new ArrayList<>();
    private final long[] latencies;
    private int latencyCount;
    private int next;
    private int active;
    private int renewed;
    private int naks;
    private long ignored;
    private long firstSend = -1;
    private long lastBound = -1;

    /**
     * A generator that keeps no record of single ACKs.
     *
     * @param settings what to run
     * @param scheduler the thread everything runs on, and the timeouts
     * @param nanoTime a monotonic time source for latencies (System::nanoTime, or a virtual one)
     * @param out sends one message to the server
     */
    public LoadGenerator(LoadSettings settings, Scheduler scheduler, LongSupplier nanoTime, Consumer<DhcpMessage> out) {
        this(settings, scheduler, () -> 0L, nanoTime, out, ack -> { });
    }

    /**
     * @param settings what to run
     * @param scheduler the thread everything runs on, and the timeouts
     * @param clock the wall clock, for the times of each {@link Ack}
     * @param nanoTime a monotonic time source for latencies (System::nanoTime, or a virtual one)
     * @param out sends one message to the server
     * @param acks told of every DHCPACK that passed the checks (a binding or a renewal), on the
     *     scheduler's thread, as it arrives
     */
    public LoadGenerator(LoadSettings settings, Scheduler scheduler, Clock clock, LongSupplier nanoTime,
            Consumer<DhcpMessage> out, Consumer<Ack> acks) {
        this(settings, null, 0, scheduler, clock, nanoTime, relayedOnly(out), acks);
    }

    /**
     * Where a message leaves: to {@code server} alone if the message is not relayed (giaddr 0, a
     * RENEWING REQUEST), else to every server the relay forwards to.
     */
    @FunctionalInterface
    public interface Sender {

        /**
         * @param message the message
         * @param server the server identifier of the server the client deals with (0.0.0.0 before
         *     it has heard one): where a message that is not relayed goes
         */
        void send(DhcpMessage message, Ipv4Address server);
    }

    /**
     * A run of new clients as {@link #LoadGenerator(LoadSettings, Scheduler, Clock, LongSupplier,
     * Consumer, Consumer)} makes, whose messages leave through {@code out}.
     */
    public static LoadGenerator newClients(LoadSettings settings, Scheduler scheduler, Clock clock, LongSupplier nanoTime,
            Sender out, Consumer<Ack> acks) {
        return new LoadGenerator(settings, null, 0, scheduler, clock, nanoTime, out, acks);
    }

    /**
     * A renewal run: client {@code i} holds {@code held.get(i)} and renews it once, RENEWING
     * straight to its server ({@link ClientSession#renewUnicast}), then REBINDING through the
     * relay after {@code unicastRetries} unanswered retransmissions. The report counts a client
     * that kept its address as obtained and renewed; a client that lost it, or got no answer,
     * failed. {@code settings.count()} must be {@code held.size()}; its hardware addresses are not
     * used, the held leases' are.
     */
    public static LoadGenerator renewing(LoadSettings settings, List<HeldLease> held, int unicastRetries,
            Scheduler scheduler, Clock clock, LongSupplier nanoTime, Sender out, Consumer<Ack> acks) {
        if (held.size() != settings.count()) {
            throw new IllegalArgumentException("a renewal run of " + settings.count() + " clients needs as many "
                    + "held leases, not " + held.size());
        }
        if (unicastRetries < 0) {
            throw new IllegalArgumentException("unicastRetries must not be negative, not " + unicastRetries);
        }
        return new LoadGenerator(settings, List.copyOf(held), unicastRetries, scheduler, clock, nanoTime, out, acks);
    }

    private static Sender relayedOnly(Consumer<DhcpMessage> out) {
        Objects.requireNonNull(out, "out");
        return (message, server) -> out.accept(message);
    }

    private LoadGenerator(LoadSettings settings, List<HeldLease> held, int unicastRetries, Scheduler scheduler,
            Clock clock, LongSupplier nanoTime, Sender out, Consumer<Ack> acks) {
        this.held = held;
        this.unicastRetries = unicastRetries;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.out = Objects.requireNonNull(out, "out");
        this.acks = Objects.requireNonNull(acks, "acks");
        this.xids = new SplittableRandom(settings.firstMac() * 31 + settings.count());
        this.latencies = new long[settings.count()];
    }

    /** Launches the first clients. Call once, on the scheduler's thread. */
    public void start() {
        if (next != 0) {
            throw new IllegalStateException("already started");
        }
        firstSend = nanoTime.getAsLong();
        int first = Math.min(settings.concurrency(), settings.count());
        for (int i = 0; i < first; i++) {
            launch();
        }
    }

    /** Completes with the report once every client has a lease or has given up. */
    public CompletableFuture<ClientReport> result() {
        return result;
    }

    /** Takes one reply from the server. */
    public void receive(DhcpMessage reply) {
        ClientSession session = byXid.get(reply.xid());
        if (session == null) {
            // A late duplicate for a finished transaction, or not ours at all.
            ignored++;
            return;
        }
        react(session, session.onReply(reply));
    }

    private void launch() {
        ClientSession session = held == null
                ? new ClientSession(next, settings.hardwareAddress(next), settings.relayAddress(), settings.retries(),
                        settings.expectedSubnet())
                : ClientSession.holding(next, held.get(next), settings.relayAddress(), settings.retries(),
                        settings.expectedSubnet());
        next++;
        active++;
        startedAt.put(session, nanoTime.getAsLong());
        int xid = newXid();
        byXid.put(xid, session);
        send(session, held == null ? session.discover(xid) : session.renewUnicast(xid, unicastRetries));
    }

    private void react(ClientSession session, Reaction reaction) {
        if (reaction instanceof Reaction.Send send) {
            send(session, send.message());
        } else if (reaction instanceof Reaction.Bound bound) {
            acked(session, bound.address(), bound.leaseTime());
            onBound(session, bound.address());
        } else if (reaction instanceof Reaction.Renewed renewal) {
            acked(session, renewal.address(), renewal.leaseTime());
            renewed++;
            if (held != null) {
                // A renewal run's clients hold their leases at the end: what it obtains.
                onBound(session, renewal.address());
                return;
            }
            finish(session);
        } else if (reaction instanceof Reaction.Failed failed) {
            if (failed.nak()) {
                naks++;
            }
            failures.add(describe(session) + ": " + failed.reason());
            finish(session);
        } else {
            ignored++;
        }
    }

    private void onBound(ClientSession session, Ipv4Address address) {
        long now = nanoTime.getAsLong();
        latencies[latencyCount++] = (now - startedAt.get(session)) / 1000;
        lastBound = now;
        ClientSession holder = holders.putIfAbsent(address, session);
        if (holder != null) {
            duplicates.add(address + " leased to " + describe(holder) + " and to " + describe(session));
        }
        bound.add(session);
        if (settings.renew() && held == null) {
            cancelTimer(session);
            byXid.remove(session.xid());
            int xid = newXid();
            byXid.put(xid, session);
            send(session, session.renew(xid));
        } else {
            finish(session);
        }
    }

    /** Reports an ACK; its expiry counts from the first sending of the REQUEST it answers (RFC 2131 §4.4.1). */
    private void acked(ClientSession session, Ipv4Address address, Duration leaseTime) {
        long now = clock.millis();
        long sent = Objects.requireNonNullElse(requestSentAt.remove(session), now);
        acks.accept(new Ack(Instant.ofEpochMilli(now), address, session.hardwareAddress(), leaseTime,
                Instant.ofEpochMilli(sent).plus(leaseTime)));
    }

    private void send(ClientSession session, DhcpMessage message) {
        cancelTimer(session);
        if (message.messageType().orElse(null) == DhcpMessageType.REQUEST) {
            // A retransmission keeps the time of the first sending.
            requestSentAt.putIfAbsent(session, clock.millis());
        }
        out.send(message, session.serverIdentifier());
        int xid = session.xid();
        timers.put(session, scheduler.schedule(settings.timeout(), () -> {
            // A timer that lost the race with a reply finds another xid or a finished session.
            if (byXid.get(xid) == session) {
                react(session, session.onTimeout());
            }
        }));
    }

    private void finish(ClientSession session) {
        cancelTimer(session);
        byXid.remove(session.xid());
        startedAt.remove(session);
        requestSentAt.remove(session);
        active--;
        if (next < settings.count()) {
            launch();
        } else if (active == 0) {
            complete();
        }
    }

    private void complete() {
        int released = 0;
        if (settings.release()) {
            for (ClientSession session : bound) {
                out.send(session.release(newXid()), session.serverIdentifier());
                released++;
            }
        }
        long end = lastBound < 0 ? nanoTime.getAsLong() : lastBound;
        long[] measured = Arrays.copyOf(latencies, latencyCount);
        result.complete(new ClientReport(settings.count(), bound.size(), holders.size(), renewed, released, naks,
                ignored, failures, duplicates, Duration.ofNanos(Math.max(0, end - firstSend)),
                LatencySummary.of(measured)));
    }

    private void cancelTimer(ClientSession session) {
        Cancellable timer = timers.remove(session);
        if (timer != null) {
            timer.cancel();
        }
    }

    private int newXid() {
        int xid;
        do {
            xid = xids.nextInt();
        } while (byXid.containsKey(xid));
        return xid;
    }

    private static String describe(ClientSession session) {
        return "client " + session.index() + " (" + session.hardwareAddress() + ")";
    }
}
