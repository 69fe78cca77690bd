package dev.dhcpcluster.benchmarks;

import dev.dhcpcluster.adapter.storage.MemoryLeaseStore;
import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.core.config.LeaseTimes;
import dev.dhcpcluster.core.config.PoolConfig;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.DhcpServer;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.telemetry.DhcpEvents;
import dev.dhcpcluster.port.time.Cancellable;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One whole lease in process: a new client's DHCPDISCOVER to the DHCPOFFER, then its DHCPREQUEST
 * for the offered address to the DHCPACK, through a real {@link DhcpServer} with the in-memory
 * lease store. This is everything a node does for a lease except the sockets and the event loop's
 * hand-offs: decode, policy, the lease table and pool, the store write and its completion, encode.
 *
 * <p>The server runs on the benchmark thread: its scheduler runs the tasks the server gives it
 * (the ACK sent once the store reports the lease durable, the expiry timer) on that thread as soon
 * as the server returns, as the node's event loop would, and the clock is virtual. Each operation
 * moves the clock one millisecond on, so leases (60 s) end 60,000 operations after they began,
 * in the server's own sweeps: the pool stays about half full, and the cost of ending each lease
 * is counted in the operation, as it is in a node's steady state.
 *
 * <p>The clients take turns, twice as many as the pool has addresses: by the time a client comes
 * back its old address has gone to another, so every DORA is a new client's, taking a free
 * address from the pool. The DISCOVERs and REQUESTs are encoded in the setup; in the measured
 * method the client only copies the offered address into its REQUEST (option 50).
 */
@State(Scope.Thread)
public class DoraBenchmark extends BenchmarkBase {

    private static final Ipv4Address LOCAL = Ipv4Address.parse("198.18.0.2");
    private static final Ipv4Address FIRST = Ipv4Address.parse("198.18.0.10");
    private static final Ipv4Address LAST = Ipv4Address.parse("198.19.255.250");
    private static final Duration LEASE_TIME = Duration.ofSeconds(60);
    /** Where option 53's value sits in a reply: the server writes the message type first. */
    private static final int MESSAGE_TYPE_OFFSET = DhcpCodec.OPTIONS_OFFSET + 2;
    /** Where yiaddr sits in a message (RFC 2131 §2). */
    private static final int YIADDR_OFFSET = 16;

    /** How many clients take turns: twice the 131,057 addresses of the pool. */
    @Param({"262144"})
    public int clients;

    private VirtualClock clock;
    private BenchmarkThreadScheduler scheduler;
    private CapturingTransport transport;
    private CountingEvents events;
    private DhcpServer server;
    private byte[][] discovers;
    private byte[][] requests;
    /** Where the value of option 50 (requested address) sits in each client's REQUEST. */
    private int[] requestedAddressAt;
    private int next;

    @Setup(Level.Trial)
    public void start() {
        DhcpOptions options = DhcpOptions.builder()
                .address(OptionCode.ROUTERS, Ipv4Address.parse("198.18.0.1"))
                .address(OptionCode.DOMAIN_NAME_SERVERS, Ipv4Address.parse("198.18.0.3"))
                .string(OptionCode.DOMAIN_NAME, "example.test")
                .build();
        SubnetConfig subnet = new SubnetConfig(Ipv4Address.parse("198.18.0.0"), 15,
                List.of(PoolConfig.of(new AddressRange(FIRST, LAST))),
                List.of(), options, LeaseTimes.of(LEASE_TIME), List.of(), Optional.empty(), false);
        ServerConfig config = new ServerConfig(new NodeId(1), List.of(subnet), DhcpOptions.empty(), List.of(),
                Optional.of(LOCAL),
                ServerConfig.DEFAULT_OFFER_HOLD, ServerConfig.DEFAULT_DECLINE_PROBATION, ServerConfig.DEFAULT_MAX_HOPS,
                ServerConfig.DEFAULT_CLIENT_PORT, ServerConfig.DEFAULT_RELAY_PORT);
        if (clients < 2 * (LAST.value() - FIRST.value() + 1)) {
            throw new IllegalArgumentException("clients must be at least twice the pool's addresses, so that each"
                    + " DORA is a new client's, not " + clients);
        }
        clock = new VirtualClock(1_000_000_000_000L);
        scheduler = new BenchmarkThreadScheduler(clock);
        transport = new CapturingTransport();
        events = new CountingEvents();
        server = new DhcpServer(config, transport, new MemoryLeaseStore(), clock, scheduler, events);
        server.load(List.of());
        discovers = new byte[clients][];
        requests = new byte[clients][];
        requestedAddressAt = new int[clients];
        for (int i = 0; i < clients; i++) {
            discovers[i] = DhcpCodec.encode(client(i, DhcpMessageType.DISCOVER), DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
            requests[i] = DhcpCodec.encode(client(i, DhcpMessageType.REQUEST), DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
            requestedAddressAt[i] = valueOffset(requests[i], OptionCode.REQUESTED_ADDRESS);
        }
        next = 0;
        // The 160 MB of encoded requests above belong to the setup: collected into the old
        // generation now, they are not copied by the young collections of the first iterations.
        System.gc();
    }

    /** Drops and missing replies make the figure meaningless: say so rather than report it. */
    @TearDown(Level.Trial)
    public void check() {
        if (events.dropped > 0) {
            throw new IllegalStateException(events.dropped + " requests were dropped, the last: " + events.lastDrop);
        }
    }

    /**
     * A message from client {@code client} as dhclient sends it: client identifier, host name and
     * a parameter request list; a REQUEST also names this server and the address it was offered
     * (a placeholder until the OFFER comes).
     */
    private static DhcpMessage client(int client, DhcpMessageType type) {
        byte[] mac = {2, 0, 0, (byte) (client >>> 16), (byte) (client >>> 8), (byte) client};
        byte[] clientId = {1, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]};
        DhcpOptions.Builder options = DhcpOptions.builder().messageType(type);
        if (type == DhcpMessageType.REQUEST) {
            options.address(OptionCode.SERVER_IDENTIFIER, LOCAL).address(OptionCode.REQUESTED_ADDRESS, FIRST);
        }
        options.put(OptionCode.CLIENT_IDENTIFIER, clientId)
                .string(OptionCode.HOST_NAME, "host-" + client)
                .put(OptionCode.PARAMETER_REQUEST_LIST, new byte[] {1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42});
        return DhcpMessage.builder().xid(client).flags(DhcpMessage.FLAG_BROADCAST)
                .hardwareAddress(HardwareAddress.ethernet(mac)).options(options.build()).build();
    }

    /** The offset of the value of option {@code code} in an encoded message. */
    private static int valueOffset(byte[] packet, int code) {
        int at = DhcpCodec.OPTIONS_OFFSET;
        while (at < packet.length && (packet[at] & 0xFF) != 255) {
            int found = packet[at] & 0xFF;
            if (found == 0) {
                at++;
            } else if (found == code) {
                return at + 2;
            } else {
                at += 2 + (packet[at + 1] & 0xFF);
            }
        }
        throw new IllegalStateException("option " + code + " is not in the encoded message");
    }

    @Benchmark
    public void discoverOfferRequestAck(Blackhole blackhole) {
        int client = next;
        next = next + 1 == clients ? 0 : next + 1;
        clock.millis++;
        scheduler.runDue();

        server.handle(new Datagram(discovers[client], Ipv4Address.ZERO, 68, LOCAL, Optional.empty()));
        scheduler.runPending();
        byte[] offer = transport.take(DhcpMessageType.OFFER, client, events);

        byte[] request = requests[client];
        System.arraycopy(offer, YIADDR_OFFSET, request, requestedAddressAt[client], 4);
        server.handle(new Datagram(request, Ipv4Address.ZERO, 68, LOCAL, Optional.empty()));
        scheduler.runPending();
        blackhole.consume(transport.take(DhcpMessageType.ACK, client, events));
    }

    /** A clock that moves only when the benchmark moves it. */
    static final class VirtualClock implements Clock {
        long millis;

        VirtualClock(long millis) {
            this.millis = millis;
        }

        @Override
        public long millis() {
            return millis;
        }
    }

    /**
     * The node's event loop reduced to the benchmark thread: tasks given to {@link #execute} run
     * when the benchmark calls {@link #runPending}, after the server has returned, as the event
     * loop runs them after the current event; timers run from {@link #runDue} once the virtual
     * clock has reached them.
     */
    static final class BenchmarkThreadScheduler implements Scheduler {
        private final VirtualClock clock;
        private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
        private final PriorityQueue<Timer> timers = new PriorityQueue<>();
        private long submitted;

        BenchmarkThreadScheduler(VirtualClock clock) {
            this.clock = clock;
        }

        @Override
        public void execute(Runnable task) {
            pending.add(task);
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            Timer timer = new Timer(clock.millis + delay.toMillis(), submitted++, task);
            timers.add(timer);
            return timer;
        }

        void runPending() {
            for (Runnable task = pending.poll(); task != null; task = pending.poll()) {
                task.run();
            }
        }

        void runDue() {
            while (!timers.isEmpty() && timers.peek().dueMillis <= clock.millis) {
                Timer timer = timers.poll();
                if (!timer.cancelled) {
                    timer.task.run();
                }
                runPending();
            }
        }

        private static final class Timer implements Cancellable, Comparable<Timer> {
            final long dueMillis;
            final long order;
            final Runnable task;
            boolean cancelled;

            Timer(long dueMillis, long order, Runnable task) {
                this.dueMillis = dueMillis;
                this.order = order;
                this.task = task;
            }

            @Override
            public void cancel() {
                cancelled = true;
            }

            @Override
            public int compareTo(Timer other) {
                int byTime = Long.compare(dueMillis, other.dueMillis);
                return byTime != 0 ? byTime : Long.compare(order, other.order);
            }
        }
    }

    /** Keeps the one reply the server sent, for the client to read, as a socket would carry it. */
    static final class CapturingTransport implements DhcpTransport {
        private byte[] sent;
        private int count;

        @Override
        public void start(DhcpHandler handler) {
        }

        @Override
        public void send(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
            sent = payload;
            count++;
        }

        /** The one reply sent since the last call, which must be of {@code type}. */
        byte[] take(DhcpMessageType type, int client, CountingEvents events) {
            byte[] reply = sent;
            int replies = count;
            sent = null;
            count = 0;
            if (replies != 1 || (reply[MESSAGE_TYPE_OFFSET] & 0xFF) != type.code()) {
                throw new IllegalStateException("client " + client + " expected one " + type + ", the server sent "
                        + replies + " replies; drops: " + events.dropped + ", the last: " + events.lastDrop);
            }
            return reply;
        }

        @Override
        public void close() {
        }
    }

    /** Counts what the server dropped, so that a run that drops says so instead of measuring it. */
    static final class CountingEvents implements DhcpEvents {
        long dropped;
        String lastDrop = "none";

        @Override
        public void dropped(DropReason reason, String detail) {
            dropped++;
            lastDrop = reason + ": " + detail;
        }
    }
}
