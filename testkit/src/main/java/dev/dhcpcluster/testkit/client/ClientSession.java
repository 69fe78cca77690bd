package dev.dhcpcluster.testkit.client;

import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.core.text.SafeText;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The protocol state machine of one client behind a relay: DISCOVER, OFFER, REQUEST, ACK, then
 * optionally a renewal. It builds the messages a relay would forward (giaddr set, hops 1) and
 * judges each reply; it has no socket and no clock, so it is driven by messages and timeouts.
 *
 * <p>A client that already holds a lease ({@link #holding}) can also renew as RFC 2131 §4.4.5
 * says: RENEWING, a REQUEST of its own straight to the server that granted the lease
 * ({@link #renewUnicast}, giaddr 0; the answer comes to the client's own address), and if that
 * server stays silent, REBINDING, the same REQUEST broadcast, which the relay forwards to every
 * server it knows.
 *
 * <p>Every DHCPNAK is a failure: the client only ever asks for what it was offered, or for the
 * address it holds, so a correct server has no reason to refuse.
 */
public final class ClientSession {

    /** Where the client stands. */
    public enum Phase {
        /** Created, nothing sent. */
        IDLE,
        /** DISCOVER sent, waiting for an OFFER. */
        DISCOVERING,
        /** REQUEST sent for an offered address, waiting for the ACK. */
        REQUESTING,
        /** Holds a lease. */
        BOUND,
        /** REQUEST for the held address sent, waiting for the ACK. */
        RENEWING,
        /**
         * The server that granted the lease did not answer the RENEWING REQUEST: the REQUEST for
         * the held address is broadcast (through the relay), waiting for any server's ACK.
         */
        REBINDING,
        /** Gave up; see {@link #failure()}. */
        FAILED
    }

    private static final byte[] PARAMETER_REQUEST_LIST = {
        (byte) OptionCode.SUBNET_MASK, (byte) OptionCode.ROUTERS, (byte) OptionCode.DOMAIN_NAME_SERVERS,
        (byte) OptionCode.DOMAIN_NAME, (byte) OptionCode.LEASE_TIME, (byte) OptionCode.SERVER_IDENTIFIER,
        (byte) OptionCode.RENEWAL_TIME, (byte) OptionCode.REBINDING_TIME};

    private final int index;
    private final HardwareAddress hardwareAddress;
    private final Ipv4Address relayAddress;
    private final int retries;
    private final Optional<Ipv4Prefix> expectedSubnet;

    private Phase phase = Phase.IDLE;
    private int xid;
    private int attempts;
    private DhcpMessage lastSent;
    private Ipv4Address offered = Ipv4Address.ZERO;
    private Ipv4Address serverIdentifier = Ipv4Address.ZERO;
    private Ipv4Address address = Ipv4Address.ZERO;
    private String failure = "";
    /** While RENEWING straight to the server: how many more sendings before the client rebinds; else -1. */
    private int unicastLeft = -1;

    /**
     * @param index the client's number in its run, for messages
     * @param hardwareAddress the client's (synthetic) hardware address
     * @param relayAddress the giaddr to put in every request: where the server answers
     * @param retries how many times a request is sent again after a timeout
     * @param expectedSubnet if present, every leased address must lie in it
     */
    public ClientSession(int index, HardwareAddress hardwareAddress, Ipv4Address relayAddress, int retries,
            Optional<Ipv4Prefix> expectedSubnet) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative, not " + retries);
        }
        this.index = index;
        this.hardwareAddress = Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        this.relayAddress = Objects.requireNonNull(relayAddress, "relayAddress");
        this.retries = retries;
        this.expectedSubnet = Objects.requireNonNull(expectedSubnet, "expectedSubnet");
    }

    /**
     * A client that holds {@code held}'s lease already (from an earlier run of the same client), in
     * {@link Phase#BOUND}, ready to {@link #renewUnicast renew} it.
     *
     * @param index the client's number in its run, for messages
     * @param held the lease: the client's hardware address, its address, the server that granted it
     * @param relayAddress the giaddr of a REBINDING REQUEST, which goes through the relay
     * @param retries how many times a REBINDING REQUEST is sent again after a timeout
     * @param expectedSubnet if present, the renewed address must lie in it
     */
    public static ClientSession holding(int index, HeldLease held, Ipv4Address relayAddress, int retries,
            Optional<Ipv4Prefix> expectedSubnet) {
        ClientSession session = new ClientSession(index, held.hardwareAddress(), relayAddress, retries, expectedSubnet);
        session.address = held.address();
        session.offered = held.address();
        session.serverIdentifier = held.server();
        session.phase = Phase.BOUND;
        return session;
    }

    /** Starts the exchange: the DISCOVER to send, under transaction {@code newXid}. */
    public DhcpMessage discover(int newXid) {
        requirePhase(Phase.IDLE, "discover");
        xid = newXid;
        phase = Phase.DISCOVERING;
        return send(request(DhcpMessageType.DISCOVER).build());
    }

    /**
     * Starts a renewal of the held lease under transaction {@code newXid}: a REQUEST with ciaddr
     * set, relayed, which the server treats as a rebinding client.
     */
    public DhcpMessage renew(int newXid) {
        requirePhase(Phase.BOUND, "renew");
        xid = newXid;
        phase = Phase.RENEWING;
        return send(request(DhcpMessageType.REQUEST).ciaddr(address).build());
    }

    /**
     * Starts a renewal in the RENEWING state of RFC 2131 §4.4.5 under transaction {@code newXid}:
     * a REQUEST with ciaddr set, neither relayed (giaddr 0, hops 0) nor naming a server, to be sent
     * straight to {@link #serverIdentifier()}. After {@code unicastRetries} more sendings go
     * unanswered, the client rebinds ({@link Phase#REBINDING}): the same REQUEST through the
     * relay, to every server, with this session's retries.
     *
     * @param unicastRetries how many times the RENEWING REQUEST is sent again before the client rebinds
     */
    public DhcpMessage renewUnicast(int newXid, int unicastRetries) {
        if (unicastRetries < 0) {
            throw new IllegalArgumentException("unicastRetries must not be negative, not " + unicastRetries);
        }
        requirePhase(Phase.BOUND, "renew");
        xid = newXid;
        phase = Phase.RENEWING;
        attempts = 0;
        unicastLeft = unicastRetries;
        return send(DhcpMessage.builder().op(DhcpMessage.BOOTREQUEST).xid(xid).ciaddr(address)
                .hardwareAddress(hardwareAddress).options(baseOptions(DhcpMessageType.REQUEST).build()).build());
    }

    /** A RELEASE of the held lease under transaction {@code newXid}; the server does not answer it. */
    public DhcpMessage release(int newXid) {
        requirePhase(Phase.BOUND, "release");
        DhcpOptions options = DhcpOptions.builder()
                .messageType(DhcpMessageType.RELEASE)
                .address(OptionCode.SERVER_IDENTIFIER, serverIdentifier)
                .build();
        return DhcpMessage.builder().op(DhcpMessage.BOOTREQUEST).xid(newXid).hops(1).giaddr(relayAddress)
                .ciaddr(address).hardwareAddress(hardwareAddress).options(options).build();
    }

    /** Judges a reply that carries this session's current xid. */
    public Reaction onReply(DhcpMessage reply) {
        if (reply.xid() != xid || phase == Phase.IDLE || phase == Phase.FAILED) {
            return new Reaction.Ignored("not this client's transaction");
        }
        if (reply.op() != DhcpMessage.BOOTREPLY || !reply.hardwareAddress().equals(hardwareAddress)) {
            return new Reaction.Ignored("reply for another hardware address " + reply.hardwareAddress());
        }
        Optional<DhcpMessageType> type = reply.messageType();
        if (type.isEmpty()) {
            return new Reaction.Ignored("reply without a message type");
        }
        return switch (phase) {
            case DISCOVERING -> type.get() == DhcpMessageType.OFFER ? onOffer(reply) : ignoredType(type.get());
            case REQUESTING, RENEWING, REBINDING -> onAnswer(type.get(), reply);
            default -> ignoredType(type.get());
        };
    }

    /**
     * The answer did not come in time: the request again, or a failure once the retries are
     * spent.
     */
    public Reaction onTimeout() {
        if (phase != Phase.DISCOVERING && phase != Phase.REQUESTING && phase != Phase.RENEWING
                && phase != Phase.REBINDING) {
            return new Reaction.Ignored("no request outstanding");
        }
        if (unicastLeft == 0) {
            // The server that granted the lease is silent: ask every server, through the relay.
            unicastLeft = -1;
            phase = Phase.REBINDING;
            attempts = 0;
            return new Reaction.Send(send(request(DhcpMessageType.REQUEST).ciaddr(address).build()));
        }
        if (unicastLeft > 0) {
            unicastLeft--;
            attempts++;
            return new Reaction.Send(lastSent);
        }
        if (attempts > retries) {
            String awaited = phase == Phase.DISCOVERING ? "DHCPOFFER" : "DHCPACK";
            return fail("no " + awaited + " after " + attempts + " attempt" + (attempts == 1 ? "" : "s"), false);
        }
        attempts++;
        return new Reaction.Send(lastSent);
    }

    private Reaction onOffer(DhcpMessage offer) {
        Optional<Ipv4Address> server = offer.options().address(OptionCode.SERVER_IDENTIFIER);
        if (offer.yiaddr().isZero()) {
            return fail("DHCPOFFER with yiaddr 0.0.0.0", false);
        }
        if (server.isEmpty()) {
            return fail("DHCPOFFER of " + offer.yiaddr() + " without a server identifier (option 54)", false);
        }
        offered = offer.yiaddr();
        serverIdentifier = server.get();
        phase = Phase.REQUESTING;
        attempts = 0;
        DhcpOptions.Builder options = baseOptions(DhcpMessageType.REQUEST)
                .address(OptionCode.REQUESTED_ADDRESS, offered)
                .address(OptionCode.SERVER_IDENTIFIER, serverIdentifier);
        return new Reaction.Send(send(header().options(options.build()).build()));
    }

    private Reaction onAnswer(DhcpMessageType type, DhcpMessage reply) {
        if (type == DhcpMessageType.OFFER) {
            return new Reaction.Ignored("another DHCPOFFER after the REQUEST");
        }
        if (type == DhcpMessageType.NAK) {
            // The server chose the message: escaped, it cannot break the report's lines.
            String message = reply.options().string(OptionCode.MESSAGE)
                    .map(text -> " (\"" + SafeText.inline(text) + "\")").orElse("");
            Ipv4Address asked = phase == Phase.REQUESTING ? offered : address;
            return fail("DHCPNAK to a REQUEST for " + asked + message, true);
        }
        if (type != DhcpMessageType.ACK) {
            return ignoredType(type);
        }
        Optional<String> problem = checkAck(reply);
        if (problem.isPresent()) {
            return fail(problem.get(), false);
        }
        // checkAck made sure option 51 is there.
        Duration leaseTime = Duration.ofSeconds(reply.options().uint32(OptionCode.LEASE_TIME).orElseThrow());
        if (phase == Phase.RENEWING || phase == Phase.REBINDING) {
            if (!reply.yiaddr().equals(address)) {
                return fail("renewal moved the lease from " + address + " to " + reply.yiaddr(), false);
            }
            // A rebound client's server is the one that answered (checkAck made sure option 54 is there).
            serverIdentifier = reply.options().address(OptionCode.SERVER_IDENTIFIER).orElseThrow();
            unicastLeft = -1;
            phase = Phase.BOUND;
            return new Reaction.Renewed(address, leaseTime);
        }
        if (!reply.yiaddr().equals(offered)) {
            return fail("DHCPACK for " + reply.yiaddr() + " to a REQUEST for " + offered, false);
        }
        address = reply.yiaddr();
        phase = Phase.BOUND;
        return new Reaction.Bound(address, leaseTime);
    }

    private Optional<String> checkAck(DhcpMessage ack) {
        if (ack.yiaddr().isZero()) {
            return Optional.of("DHCPACK with yiaddr 0.0.0.0");
        }
        if (ack.options().uint32(OptionCode.LEASE_TIME).isEmpty()) {
            return Optional.of("DHCPACK for " + ack.yiaddr() + " without a lease time (option 51)");
        }
        if (ack.options().address(OptionCode.SERVER_IDENTIFIER).isEmpty()) {
            return Optional.of("DHCPACK for " + ack.yiaddr() + " without a server identifier (option 54)");
        }
        if (expectedSubnet.isPresent() && !expectedSubnet.get().contains(ack.yiaddr())) {
            return Optional.of("DHCPACK for " + ack.yiaddr() + ", outside the expected subnet " + expectedSubnet.get());
        }
        return Optional.empty();
    }

    private Reaction ignoredType(DhcpMessageType type) {
        return new Reaction.Ignored("unexpected DHCP" + type + " while " + phase);
    }

    private Reaction fail(String reason, boolean nak) {
        phase = Phase.FAILED;
        failure = reason;
        return new Reaction.Failed(reason, nak);
    }

    private DhcpMessage send(DhcpMessage message) {
        lastSent = message;
        attempts = Math.max(attempts, 1);
        return message;
    }

    private DhcpMessage.Builder request(DhcpMessageType type) {
        attempts = 0;
        return header().options(baseOptions(type).build());
    }

    private DhcpMessage.Builder header() {
        // What a relay forwards: giaddr is the relay, hops counts it.
        return DhcpMessage.builder().op(DhcpMessage.BOOTREQUEST).xid(xid).hops(1).giaddr(relayAddress)
                .hardwareAddress(hardwareAddress);
    }

    private static DhcpOptions.Builder baseOptions(DhcpMessageType type) {
        return DhcpOptions.builder().messageType(type)
                .put(OptionCode.PARAMETER_REQUEST_LIST, Arrays.copyOf(PARAMETER_REQUEST_LIST, PARAMETER_REQUEST_LIST.length));
    }

    private void requirePhase(Phase expected, String action) {
        if (phase != expected) {
            throw new IllegalStateException("cannot " + action + " while " + phase);
        }
    }

    /** The client's number in its run. */
    public int index() {
        return index;
    }

    /** The client's hardware address. */
    public HardwareAddress hardwareAddress() {
        return hardwareAddress;
    }

    /** The current transaction id. */
    public int xid() {
        return xid;
    }

    /** Where the client stands. */
    public Phase phase() {
        return phase;
    }

    /** The leased address, or 0.0.0.0 before the first ACK. */
    public Ipv4Address address() {
        return address;
    }

    /**
     * The server that granted the lease (option 54 of its OFFER, or of the ACK of its last
     * renewal), where a RENEWING REQUEST goes; 0.0.0.0 before the first OFFER.
     */
    public Ipv4Address serverIdentifier() {
        return serverIdentifier;
    }

    /** Why the client failed, or empty. */
    public String failure() {
        return failure;
    }
}
