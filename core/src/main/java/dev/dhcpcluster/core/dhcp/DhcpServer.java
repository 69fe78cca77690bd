package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.core.cluster.Responsibility;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.lease.LeasePage;
import dev.dhcpcluster.core.lease.LeaseQuery;
import dev.dhcpcluster.core.lease.LeaseTable;
import dev.dhcpcluster.core.pool.PoolUsage;
import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import dev.dhcpcluster.port.telemetry.DhcpEvents;
import dev.dhcpcluster.port.time.Cancellable;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A single-node DHCPv4 server: decodes each datagram, lets {@link DhcpPolicy} decide, writes the
 * lease changes to the {@link LeaseStore} and sends the replies through the {@link DhcpTransport}.
 *
 * <h2>Durability before the ACK</h2>
 * An ACK to a REQUEST promises the client an address, so it leaves only after the store reports
 * the lease durable. The lease is bound in memory at once (no other client can be offered the
 * address meanwhile), the write goes to the store, and the encoded ACK is sent from the store's
 * {@link WriteCompletion#durable()}, brought back onto the scheduler's thread. If the write fails
 * nothing is sent: the client retransmits its REQUEST, and the binding stays in memory so the
 * address cannot go to anyone else in between. OFFERs, NAKs and the ACKs to INFORMs promise
 * nothing and leave at once; RELEASE and DECLINE answer nothing but are written all the same.
 *
 * <h2>Threads</h2>
 * Every method runs on the scheduler's single thread: {@link #handle} is called there by the
 * runtime, and store completions and timers come back to it through {@link Scheduler}. The class
 * has no locks.
 *
 * <h2>Time</h2>
 * Offers, leases and quarantines end on a timer set at the earliest pending end, and before each
 * request, so nothing ends late for want of traffic.
 *
 * <h2>A new configuration</h2>
 * {@link #reconfigure} swaps the configuration between two events: the request before it is
 * decided wholly by the old one, the request after it wholly by the new one. Every lease is kept
 * (see {@link LeaseTable#reconfigured}). ACKs waiting for their write keep their encoded reply, so
 * they leave as decided once the write is durable.
 */
public final class DhcpServer implements DhcpHandler {

    private final DhcpTransport transport;
    private final LeaseStore store;
    private final Clock clock;
    private final Scheduler scheduler;
    private final DhcpEvents events;
    private LeaseTable table;
    private DhcpPolicy policy;
    private boolean loaded;
    private Cancellable expiryTimer;
    private long expiryTimerAt = Long.MAX_VALUE;

    /**
     * A server with an empty lease table; call {@link #load} before the first datagram.
     *
     * @throws IllegalArgumentException if the configuration cannot be served (two reservations of
     *     one address, say)
     */
    public DhcpServer(ServerConfig config, DhcpTransport transport, LeaseStore store, Clock clock, Scheduler scheduler,
            DhcpEvents events) {
        this(config, transport, store, clock, scheduler, events, Responsibility.everyBucket());
    }

    /**
     * A server with an empty lease table that answers only for the client hash buckets
     * {@code responsibility} says are this node's (RFC 3074; the rules are in {@link DhcpPolicy}'s
     * class comment). {@link Responsibility#everyBucket()} is a node alone, as the other
     * constructor makes. Call {@link #load} before the first datagram.
     *
     * @throws IllegalArgumentException if the configuration cannot be served (two reservations of
     *     one address, say)
     */
    public DhcpServer(ServerConfig config, DhcpTransport transport, LeaseStore store, Clock clock, Scheduler scheduler,
            DhcpEvents events, Responsibility responsibility) {
        this(config, transport, store, clock, scheduler, events, responsibility, Duration.ZERO);
    }

    /**
     * A cluster member's server: it answers only for the buckets {@code responsibility} gives it,
     * and an address whose lease ended by time stays out of its pool for {@code expiryGrace} more
     * (see {@link LeaseTable#LeaseTable(ServerConfig, Duration)}). Call {@link #load} before the
     * first datagram.
     *
     * @throws IllegalArgumentException if the configuration cannot be served, or the grace is negative
     */
    public DhcpServer(ServerConfig config, DhcpTransport transport, LeaseStore store, Clock clock, Scheduler scheduler,
            DhcpEvents events, Responsibility responsibility, Duration expiryGrace) {
        Objects.requireNonNull(config, "config");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.events = Objects.requireNonNull(events, "events");
        this.table = new LeaseTable(config, expiryGrace);
        this.policy = new DhcpPolicy(config, table, Objects.requireNonNull(responsibility, "responsibility"));
    }

    /**
     * Rebuilds the lease table and the pools' bitmaps from the stored leases. Called once, on the
     * scheduler's thread, before the first {@link #handle}.
     *
     * @throws IllegalStateException if called twice
     */
    public void load(List<Lease> storedLeases) {
        load(storedLeases::forEach);
    }

    /**
     * Rebuilds the lease table and the pools' bitmaps from the leases {@code source} hands over
     * one at a time ({@code store::loadEach}), so that a store of a million leases is never a list
     * of them all. Called once before the first {@link #handle}: on the scheduler's thread, or on
     * the thread that starts the node before it hands the server to the scheduler's thread (a
     * task given to {@link Scheduler#execute} sees the table as loaded).
     *
     * @throws E if the source fails; the server then stays unloaded and unusable
     * @throws IllegalStateException if called twice
     */
    public <E extends Exception> void load(StoredLeases<E> source) throws E {
        load(OptionalLong.empty(), source);
    }

    /**
     * Loads as {@link #load(StoredLeases)} does, told how many leases {@code source} will hand
     * over ({@link dev.dhcpcluster.port.store.LeaseStore#storedCount}, a hint), so that the table
     * is sized for them once rather than grown while they come.
     *
     * @throws E if the source fails; the server then stays unloaded and unusable
     * @throws IllegalStateException if called twice
     */
    public <E extends Exception> void load(OptionalLong expectedLeases, StoredLeases<E> source) throws E {
        if (loaded) {
            throw new IllegalStateException("the server's leases are loaded once");
        }
        long now = clock.millis();
        source.handEach(expectedLeases.isPresent() ? table.loader(now, expectedLeases.getAsLong()) : table.loader(now));
        loaded = true;
        armExpiryTimer();
    }

    /** What hands the stored leases to {@link #load(StoredLeases)} one at a time; {@code store::loadEach} is one. */
    @FunctionalInterface
    public interface StoredLeases<E extends Exception> {
        /** Hands every stored lease to {@code each}. */
        void handEach(Consumer<Lease> each) throws E;
    }

    /**
     * Serves {@code config} from now on, keeping every lease and the offers that are still valid
     * ({@link LeaseTable#reconfigured}). Call it on the scheduler's thread, between two events,
     * like everything else here. If {@code config} cannot be served the server goes on, unchanged,
     * with its old configuration.
     *
     * @throws IllegalArgumentException if {@code config} cannot be served (two reservations of one
     *     address, say), naming why
     * @throws IllegalStateException if {@link #load} has not been called
     */
    public void reconfigure(ServerConfig config) {
        Objects.requireNonNull(config, "config");
        if (!loaded) {
            throw new IllegalStateException("load the stored leases before reconfiguring");
        }
        long now = clock.millis();
        table.expire(now);
        // Everything is built before anything is swapped: a failure leaves the old state serving.
        LeaseTable nextTable = table.reconfigured(config, now);
        DhcpPolicy nextPolicy = policy.reconfigured(config, nextTable);
        table = nextTable;
        policy = nextPolicy;
        // The timer was set for the old table's next end; the new table has its own.
        if (expiryTimer != null) {
            expiryTimer.cancel();
            expiryTimer = null;
        }
        expiryTimerAt = Long.MAX_VALUE;
        armExpiryTimer();
    }

    /**
     * Handles one received datagram. Bad input is dropped and reported through
     * {@link DhcpEvents#dropped}, never thrown.
     *
     * @throws IllegalStateException if {@link #load} has not been called
     */
    @Override
    public void handle(Datagram datagram) {
        if (!loaded) {
            throw new IllegalStateException("load the stored leases before handling requests");
        }
        long now = clock.millis();
        table.expire(now);
        DhcpMessage request;
        try {
            request = DhcpCodec.decode(datagram.payload());
        } catch (MalformedPacketException e) {
            events.dropped(DropReason.MALFORMED, e.getMessage() + " (from " + datagram.source() + ")");
            return;
        }
        if (request.op() == DhcpMessage.BOOTREQUEST) {
            request.messageType().filter(DhcpPolicy::isClientMessage).ifPresent(events::requestReceived);
        }
        carryOut(policy.decide(request, datagram.localAddress(), datagram.interfaceName(), now), datagram.interfaceName());
        armExpiryTimer();
    }

    /**
     * How the addresses of each subnet are used now. Call it on the scheduler's thread, like
     * everything else here (for instance from a task given to {@link Scheduler#execute}).
     */
    public PoolUsage usage() {
        table.expire(clock.millis());
        return table.usage();
    }

    /**
     * One page of the leases that match {@code query}, in address order: the table as it is now,
     * including bindings whose write is not durable yet. Call it on the scheduler's thread.
     */
    public LeasePage leases(LeaseQuery query) {
        table.expire(clock.millis());
        return table.query(query);
    }

    /**
     * Ends the lease that holds {@code address} at an operator's request: the address is free at
     * once, and the ended lease (expired now, one version on) is written to the store, which
     * reports to {@code completion} when it is durable. Call it on the scheduler's thread.
     *
     * @return the ended lease as written, or empty (nothing written, {@code completion} never
     *     called) if no lease holds the address
     */
    public Optional<Lease> removeLease(Ipv4Address address, WriteCompletion completion) {
        Objects.requireNonNull(completion, "completion");
        Optional<Lease> ended = table.remove(address, clock.millis());
        ended.ifPresent(lease -> store.write(List.of(lease), completion));
        return ended;
    }

    /**
     * Takes in a lease a peer wrote, or this node's own change once the cluster committed it
     * ({@link LeaseTable#merge}): the newer version of an address wins. Call it on the
     * scheduler's thread.
     */
    public void merge(Lease lease) {
        long now = clock.millis();
        table.expire(now);
        table.merge(lease, now);
        armExpiryTimer();
    }

    /**
     * Undoes this node's change {@code refused}, which the cluster will never commit: the table
     * goes back to {@code agreed} for its address ({@link LeaseTable#revert}). Call it on the
     * scheduler's thread.
     */
    public void revert(Lease refused, Optional<Lease> agreed) {
        long now = clock.millis();
        table.revert(refused, agreed, now);
        armExpiryTimer();
    }

    /** True if {@code address} lies in one of the subnets this server serves now. Call it on the scheduler's thread. */
    public boolean serves(Ipv4Address address) {
        return table.subnetContaining(address) != null;
    }

    /** The id (first address) of every address block of the served pools. Call it on the scheduler's thread. */
    public List<Ipv4Address> blockIds() {
        return table.blockIds();
    }

    /**
     * The id of every address block of the served pools, one list per served subnet: the cluster
     * deals each subnet's blocks on their own. Call it on the scheduler's thread.
     */
    public List<List<Ipv4Address>> blockIdsBySubnet() {
        return table.blockIdsBySubnet();
    }

    /**
     * Gives new clients addresses only from the blocks whose ids are in {@code blockIds}
     * ({@link LeaseTable#ownOnly}): the blocks this node's grant holds now. Call it on the
     * scheduler's thread, and again after {@link #reconfigure}, which owns every block it cuts anew.
     */
    public void ownOnly(Set<Ipv4Address> blockIds) {
        table.ownOnly(blockIds);
    }

    /** How many addresses of the given blocks are free now. Call it on the scheduler's thread. */
    public long freeIn(Set<Ipv4Address> blockIds) {
        table.expire(clock.millis());
        return table.freeIn(blockIds);
    }

    /** Does what the policy decided; replies leave by {@code interfaceName}, where the request came in. */
    private void carryOut(Decision decision, Optional<String> interfaceName) {
        if (decision instanceof Decision.Drop drop) {
            events.dropped(drop.reason(), drop.detail());
        } else if (decision instanceof Decision.Exhausted exhausted) {
            SubnetConfig subnet = exhausted.subnet();
            events.dropped(DropReason.POOL_EXHAUSTED, "no free address in " + subnet);
            if (exhausted.reportDue()) {
                events.poolExhausted(subnet.network(), subnet.prefixLength());
            }
        } else if (decision instanceof Decision.Reply reply) {
            byte[] payload = encode(reply);
            if (payload != null) {
                send(payload, reply, interfaceName);
            }
        } else if (decision instanceof Decision.ReplyWhenDurable ack) {
            ack.refusedHostname().ifPresent(name -> events.hostnameRefused(name.option(), name.name()));
            byte[] payload = encode(ack.reply());
            if (payload != null) {
                store.write(ack.writes(), new AckWhenDurable(payload, ack, interfaceName));
            }
        } else if (decision instanceof Decision.Record record) {
            Lease lease = record.lease();
            if (lease.state() == LeaseState.DECLINED) {
                events.addressDeclined(lease);
            } else {
                events.leaseReleased(lease);
            }
            store.write(List.of(lease), new ReportFailure(lease.state() + " " + lease.address()));
        }
    }

    private void send(byte[] payload, Decision.Reply reply, Optional<String> interfaceName) {
        transport.send(payload, reply.delivery(), interfaceName);
        events.replySent(reply.type());
    }

    /**
     * The encoded reply, trimmed of optional options until it fits the client's maximum message
     * size (RFC 2132 §9.10); null, reported as dropped, if even the options every reply needs do
     * not fit.
     */
    private byte[] encode(Decision.Reply reply) {
        DhcpMessage message = reply.message();
        boolean relayAgentInformationJudged = false;
        while (true) {
            Optional<byte[]> encoded = DhcpCodec.encodeIfItFits(message, reply.maxLength());
            if (encoded.isPresent()) {
                return encoded.get();
            }
            DhcpMessage smaller = null;
            if (!relayAgentInformationJudged) {
                relayAgentInformationJudged = true;
                smaller = withoutRelayAgentInformationThatCannotFit(message, reply.maxLength());
            }
            if (smaller == null) {
                smaller = ReplyBuilder.withoutLastOptional(message);
            }
            if (smaller == null) {
                events.dropped(DropReason.IGNORED, "the " + reply.type() + " does not fit the client's "
                        + reply.maxLength() + " octets: " + DhcpCodec.whyItDoesNotFit(message, reply.maxLength()).orElse(""));
                return null;
            }
            message = smaller;
        }
    }

    /**
     * For a reply that does not fit: the reply without option 82 if 82 does not fit even beside
     * only the options every reply needs, else null. Trimming gives 82 up last, since the relay
     * needs it to forward the reply; but one that can never fit must not take the client's other
     * options down with it: the reply goes out without it.
     */
    private static DhcpMessage withoutRelayAgentInformationThatCannotFit(DhcpMessage message, int maxLength) {
        if (!message.options().contains(OptionCode.RELAY_AGENT_INFORMATION)) {
            return null;
        }
        DhcpMessage leanest = message;
        for (DhcpMessage next = ReplyBuilder.withoutLastOptional(leanest);
                next != null && next.options().contains(OptionCode.RELAY_AGENT_INFORMATION);
                next = ReplyBuilder.withoutLastOptional(next)) {
            leanest = next;
        }
        if (DhcpCodec.whyItDoesNotFit(leanest, maxLength).isEmpty()) {
            return null;
        }
        return message.toBuilder()
                .options(message.options().toBuilder().remove(OptionCode.RELAY_AGENT_INFORMATION).build())
                .build();
    }

    private void armExpiryTimer() {
        long next = table.nextExpiry();
        if (next >= expiryTimerAt) {
            return;
        }
        if (expiryTimer != null) {
            expiryTimer.cancel();
        }
        expiryTimerAt = next;
        expiryTimer = scheduler.schedule(Duration.ofMillis(Math.max(0, next - clock.millis())), this::onExpiryTimer);
    }

    private void onExpiryTimer() {
        expiryTimer = null;
        expiryTimerAt = Long.MAX_VALUE;
        table.expire(clock.millis());
        armExpiryTimer();
    }

    /** Sends the ACK once its leases are durable; sends nothing if they cannot be made so. */
    private final class AckWhenDurable implements WriteCompletion {
        private final byte[] payload;
        private final Decision.ReplyWhenDurable ack;
        private final Optional<String> interfaceName;

        AckWhenDurable(byte[] payload, Decision.ReplyWhenDurable ack, Optional<String> interfaceName) {
            this.payload = payload;
            this.ack = ack;
            this.interfaceName = interfaceName;
        }

        @Override
        public void durable() {
            // The store may call from its own thread, or from inside write(): either way the
            // reply leaves from the scheduler's thread, after the current event.
            scheduler.execute(() -> {
                send(payload, ack.reply(), interfaceName);
                events.leaseBound(ack.binding());
            });
        }

        @Override
        public void failed(LeaseStoreException cause) {
            Lease binding = ack.binding();
            scheduler.execute(() -> events.dropped(DropReason.STORE_FAILED, "ACK of " + binding.address() + " to "
                    + binding.clientKey() + " withheld: " + cause.getMessage()));
        }
    }

    /** Reports a write that failed; a write that succeeds needs nothing more. */
    private final class ReportFailure implements WriteCompletion {
        private final String what;

        ReportFailure(String what) {
            this.what = what;
        }

        @Override
        public void durable() {
        }

        @Override
        public void failed(LeaseStoreException cause) {
            scheduler.execute(() -> events.dropped(DropReason.STORE_FAILED, what + " not stored: " + cause.getMessage()));
        }
    }
}
