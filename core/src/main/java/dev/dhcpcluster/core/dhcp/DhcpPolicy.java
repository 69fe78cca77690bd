package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.core.config.Reservation;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.lease.LeaseTable;
import dev.dhcpcluster.core.lease.ServedSubnet;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The DHCPv4 server's decisions (RFC 2131 §4.3): given one decoded request, change the lease
 * table and say what to answer. It does no I/O and reads no clock; {@link DhcpServer} decodes,
 * writes the store and sends.
 *
 * <h2>Which subnet</h2>
 * A relayed request (giaddr set) is served from the subnet whose {@link
 * dev.dhcpcluster.core.config.SubnetConfig#servesRelay} accepts giaddr; a direct one from the
 * subnet of the address the request arrived on. A client that already has an address (ciaddr set,
 * no relay) is served from the subnet of ciaddr, since RENEWING clients unicast to the server from
 * wherever they are.
 *
 * <h2>Server identity</h2>
 * Option 54 of the replies is {@link ServerConfig#serverIdentifier()} or else the receiving
 * address. A request naming either of them names this server.
 *
 * <p>Not thread-safe: called on the server's single thread.
 */
public final class DhcpPolicy {

    /** How often a subnet's exhaustion is reported to the operator while it lasts. */
    public static final Duration EXHAUSTION_REPORT_INTERVAL = Duration.ofMinutes(1);

    private final ServerConfig config;
    private final LeaseTable table;
    private Ipv4Address knownLocalAddress;

    /** A policy over {@code table}, which must have been built from {@code config}. */
    public DhcpPolicy(ServerConfig config, LeaseTable table) {
        this.config = Objects.requireNonNull(config, "config");
        this.table = Objects.requireNonNull(table, "table");
    }

    /**
     * Decides about one request and updates the lease table accordingly.
     *
     * @param request the decoded message
     * @param localAddress the server's address on the interface the request arrived on
     * @param nowMillis the time, in epoch milliseconds
     */
    public Decision decide(DhcpMessage request, Ipv4Address localAddress, long nowMillis) {
        if (request.op() != DhcpMessage.BOOTREQUEST) {
            return new Decision.Drop(DropReason.NOT_A_REQUEST, "op " + request.op() + " is not BOOTREQUEST");
        }
        Optional<DhcpMessageType> type = request.messageType();
        if (type.isEmpty()) {
            return new Decision.Drop(DropReason.NOT_A_REQUEST, "no DHCP message type (option 53): BOOTP is not served");
        }
        if (request.hlen() > DhcpMessage.CHADDR_LENGTH) {
            return new Decision.Drop(DropReason.MALFORMED,
                    "hlen " + request.hlen() + " is longer than the 16-octet chaddr");
        }
        if (request.hops() > config.maxHops()) {
            return new Decision.Drop(DropReason.TOO_MANY_HOPS,
                    "hops " + request.hops() + " above the limit of " + config.maxHops());
        }
        if (!localAddress.equals(knownLocalAddress)) {
            // The server's own address is never a client's, even when it lies in a pool.
            table.excludeServerAddress(localAddress);
            knownLocalAddress = localAddress;
        }
        Context context = new Context(request, localAddress, nowMillis);
        return switch (type.get()) {
            case DISCOVER -> discover(context);
            case REQUEST -> request(context);
            case DECLINE -> decline(context);
            case RELEASE -> release(context);
            case INFORM -> inform(context);
            case OFFER, ACK, NAK -> new Decision.Drop(DropReason.NOT_A_REQUEST, type.get() + " is sent by servers");
        };
    }

    /** True if option 53 of this type comes from a client. */
    public static boolean isClientMessage(DhcpMessageType type) {
        return type != DhcpMessageType.OFFER && type != DhcpMessageType.ACK && type != DhcpMessageType.NAK;
    }

    // ---------------------------------------------------------------- DISCOVER (§4.3.1)

    private Decision discover(Context c) {
        ServedSubnet subnet = linkSubnet(c);
        if (subnet == null) {
            return noSubnet(c);
        }
        Optional<Reservation> reservation = subnet.reservationFor(c.key, c.hardware);
        Ipv4Address address = chooseKnownAddress(c, subnet, reservation);
        if (address != null) {
            table.offer(subnet, address, c.key, c.now);
        } else {
            address = table.offerFreeAddress(subnet, c.key, c.now);
            if (address == null) {
                return new Decision.Exhausted(subnet.config(),
                        subnet.exhaustionReportDue(c.now, EXHAUSTION_REPORT_INTERVAL.toMillis()));
            }
        }
        Duration leaseTime = offeredLeaseTime(c, subnet, address);
        DhcpMessage offer = ReplyBuilder.offer(c.request, subnet.config(), address, leaseTime, serverId(c),
                hostnameFor(reservation, address));
        return reply(c, offer);
    }

    /**
     * The address a client has a claim to, in the order of RFC 2131 §4.3.1, with a reservation
     * first of all: its reserved address, its current binding, the address already offered to it,
     * its previous binding if still free, the address it asks for (option 50) if free. Null if
     * none of them can be given.
     */
    private Ipv4Address chooseKnownAddress(Context c, ServedSubnet subnet, Optional<Reservation> reservation) {
        if (reservation.isPresent() && available(c, subnet, reservation.get().address())) {
            return reservation.get().address();
        }
        Optional<Lease> lease = table.leaseOf(c.key);
        if (lease.isPresent() && isLiveBinding(lease.get(), c.now) && available(c, subnet, lease.get().address())) {
            return lease.get().address();
        }
        Optional<Ipv4Address> offered = table.offeredTo(c.key, c.now);
        if (offered.isPresent() && available(c, subnet, offered.get())) {
            return offered.get();
        }
        if (lease.isPresent() && available(c, subnet, lease.get().address())) {
            return lease.get().address();
        }
        Optional<Ipv4Address> requested = c.request.options().address(OptionCode.REQUESTED_ADDRESS);
        if (requested.isPresent() && available(c, subnet, requested.get())) {
            return requested.get();
        }
        return null;
    }

    /**
     * RFC 2131 §4.3.1: the requested lease time within the configured bounds; without a request,
     * what is left of a current binding of this address, else the configured lifetime.
     */
    private Duration offeredLeaseTime(Context c, ServedSubnet subnet, Ipv4Address address) {
        Optional<Duration> requested = requestedLeaseTime(c);
        if (requested.isEmpty()) {
            Optional<Lease> lease = table.leaseOf(c.key);
            if (lease.isPresent() && lease.get().address().equals(address) && isLiveBinding(lease.get(), c.now)) {
                long left = (lease.get().expiry().toEpochMilli() - c.now) / 1000;
                if (left >= 1) {
                    return Duration.ofSeconds(left);
                }
            }
        }
        return subnet.config().leaseTimes().grant(requested);
    }

    // ---------------------------------------------------------------- REQUEST (§4.3.2)

    private Decision request(Context c) {
        Optional<Ipv4Address> named = c.request.options().address(OptionCode.SERVER_IDENTIFIER);
        Optional<Ipv4Address> requested = c.request.options().address(OptionCode.REQUESTED_ADDRESS);
        boolean hasCiaddr = !c.request.ciaddr().isZero();
        if (named.isPresent() && !isOurs(named.get(), c)) {
            // SELECTING another server's offer: ours is free for others at once (§4.3.2).
            table.withdrawOffer(c.key);
            return new Decision.Drop(DropReason.OTHER_SERVER_SELECTED, "the client chose server " + named.get());
        }
        if (requested.isPresent() && !hasCiaddr) {
            return named.isPresent() ? selecting(c, requested.get()) : initReboot(c, requested.get());
        }
        if (hasCiaddr) {
            return renewingOrRebinding(c);
        }
        return new Decision.Drop(DropReason.IGNORED, "REQUEST with neither ciaddr nor a requested address");
    }

    /** SELECTING: the client takes this server's offer. */
    private Decision selecting(Context c, Ipv4Address requested) {
        ServedSubnet subnet = linkSubnet(c);
        if (subnet == null) {
            return noSubnet(c);
        }
        Optional<Reservation> reservation = subnet.reservationFor(c.key, c.hardware);
        if (reservation.isPresent() && !reservation.get().address().equals(requested)
                && available(c, subnet, reservation.get().address())) {
            return nak(c, "address " + requested + " is not the one reserved for this client");
        }
        if (!available(c, subnet, requested)) {
            return nak(c, "address " + requested + " is not available");
        }
        return bindAndAck(c, subnet, requested, reservation);
    }

    /**
     * INIT-REBOOT: a client that remembers an address checks it. A client this server has no
     * record of gets no answer (another server may know it); a known client asking for an address
     * that is not its own, or not on this link, is told no.
     */
    private Decision initReboot(Context c, Ipv4Address requested) {
        ServedSubnet subnet = linkSubnet(c);
        if (subnet == null) {
            return noSubnet(c);
        }
        if (!subnet.config().contains(requested)) {
            return nak(c, "address " + requested + " is not on this network");
        }
        Optional<Reservation> reservation = subnet.reservationFor(c.key, c.hardware);
        Optional<Lease> lease = table.leaseOf(c.key);
        if (reservation.isEmpty() && lease.isEmpty()) {
            return new Decision.Drop(DropReason.UNKNOWN_CLIENT, "INIT-REBOOT of " + c.key + " for " + requested
                    + ": no record of the client");
        }
        Ipv4Address own = reservation.isPresent() && available(c, subnet, reservation.get().address())
                ? reservation.get().address()
                : lease.map(Lease::address).orElse(null);
        if (!requested.equals(own) || !available(c, subnet, requested)) {
            return nak(c, "address " + requested + " is not this client's");
        }
        return bindAndAck(c, subnet, requested, reservation);
    }

    /**
     * RENEWING (unicast) and REBINDING (broadcast) look alike once received: ciaddr is the
     * client's address. A lease this server knows is extended; an address that is on the wrong
     * network or another client's is refused; an address the server has no record of is left to
     * the server that has.
     */
    private Decision renewingOrRebinding(Context c) {
        Ipv4Address address = c.request.ciaddr();
        ServedSubnet subnet;
        if (!c.request.giaddr().isZero()) {
            subnet = table.subnetForRelay(c.request.giaddr());
            if (subnet == null) {
                return noSubnet(c);
            }
            if (!subnet.config().contains(address)) {
                return nak(c, "address " + address + " is not on the network of relay " + c.request.giaddr());
            }
        } else {
            subnet = table.subnetContaining(address);
            if (subnet == null) {
                if (table.subnetContaining(c.localAddress) != null) {
                    return nak(c, "address " + address + " is not on this network");
                }
                return noSubnet(c);
            }
        }
        Optional<Lease> lease = table.leaseAt(address);
        boolean known = lease.isPresent() && lease.get().clientKey().equals(c.key)
                && lease.get().state() != LeaseState.DECLINED;
        boolean available = available(c, subnet, address);
        if (known) {
            return available
                    ? bindAndAck(c, subnet, address, subnet.reservationFor(c.key, c.hardware))
                    : nak(c, "address " + address + " is no longer available to this client");
        }
        if (!available && belongsToSomeoneElse(subnet, address)) {
            return nak(c, "address " + address + " belongs to another client");
        }
        return new Decision.Drop(DropReason.UNKNOWN_CLIENT, "renewal of " + address + " by " + c.key
                + ": no record of the lease");
    }

    /** True if the address is infrastructure, reserved, or held by anyone (the caller knows it is not the client). */
    private boolean belongsToSomeoneElse(ServedSubnet subnet, Ipv4Address address) {
        if (subnet.isInfrastructure(address) || subnet.reservationAt(address).isPresent()) {
            return true;
        }
        // Not available to this client, yet a pool address: someone holds it. Outside the pools
        // the address is not ours to judge.
        return subnet.config().poolContaining(address).isPresent();
    }

    private Decision bindAndAck(Context c, ServedSubnet subnet, Ipv4Address address, Optional<Reservation> reservation) {
        Duration leaseTime = subnet.config().leaseTimes().grant(requestedLeaseTime(c));
        Optional<String> reservedName = hostnameFor(reservation, address);
        Optional<String> leaseName = reservedName.isPresent()
                ? reservedName
                : c.request.options().string(OptionCode.HOST_NAME).filter(name -> !name.isEmpty());
        List<Lease> writes = table.bind(subnet, address, c.key, c.hardware, leaseName, leaseTime, c.now);
        DhcpMessage ack = ReplyBuilder.ack(c.request, subnet.config(), address, leaseTime, serverId(c), reservedName);
        return new Decision.ReplyWhenDurable(reply(c, ack), writes);
    }

    // ---------------------------------------------------------------- DECLINE, RELEASE, INFORM (§4.3.3-4.3.5)

    private Decision decline(Context c) {
        Optional<Ipv4Address> address = c.request.options().address(OptionCode.REQUESTED_ADDRESS);
        if (address.isEmpty()) {
            return new Decision.Drop(DropReason.IGNORED, "DECLINE without the declined address (option 50)");
        }
        Optional<Ipv4Address> named = c.request.options().address(OptionCode.SERVER_IDENTIFIER);
        if (named.isPresent() && !isOurs(named.get(), c)) {
            return new Decision.Drop(DropReason.IGNORED, "DECLINE addressed to server " + named.get());
        }
        return table.decline(address.get(), c.key, c.hardware, c.now)
                .<Decision>map(Decision.Record::new)
                .orElseGet(() -> new Decision.Drop(DropReason.IGNORED,
                        "DECLINE of " + address.get() + " by " + c.key + ", which does not hold it"));
    }

    private Decision release(Context c) {
        Ipv4Address address = c.request.ciaddr();
        Optional<Ipv4Address> named = c.request.options().address(OptionCode.SERVER_IDENTIFIER);
        if (named.isPresent() && !isOurs(named.get(), c)) {
            return new Decision.Drop(DropReason.IGNORED, "RELEASE addressed to server " + named.get());
        }
        return table.release(address, c.key, c.now)
                .<Decision>map(Decision.Record::new)
                .orElseGet(() -> new Decision.Drop(DropReason.IGNORED,
                        "RELEASE of " + address + " by " + c.key + ", which does not hold it"));
    }

    private Decision inform(Context c) {
        ServedSubnet subnet;
        if (!c.request.giaddr().isZero()) {
            subnet = table.subnetForRelay(c.request.giaddr());
        } else if (!c.request.ciaddr().isZero()) {
            subnet = table.subnetContaining(c.request.ciaddr());
        } else {
            subnet = table.subnetContaining(c.localAddress);
        }
        if (subnet == null) {
            return noSubnet(c);
        }
        return reply(c, ReplyBuilder.informAck(c.request, subnet.config(), serverId(c)));
    }

    // ---------------------------------------------------------------- helpers

    private ServedSubnet linkSubnet(Context c) {
        return c.request.giaddr().isZero()
                ? table.subnetContaining(c.localAddress)
                : table.subnetForRelay(c.request.giaddr());
    }

    private Decision noSubnet(Context c) {
        String link = c.request.giaddr().isZero()
                ? "interface address " + c.localAddress
                : "relay " + c.request.giaddr();
        return new Decision.Drop(DropReason.NO_SUBNET, "no subnet is configured for " + link);
    }

    private boolean available(Context c, ServedSubnet subnet, Ipv4Address address) {
        return table.isAvailable(subnet, address, c.key, c.hardware, c.now);
    }

    private static boolean isLiveBinding(Lease lease, long nowMillis) {
        return lease.state() == LeaseState.BOUND && lease.expiry().toEpochMilli() > nowMillis;
    }

    private static Optional<String> hostnameFor(Optional<Reservation> reservation, Ipv4Address address) {
        return reservation.filter(r -> r.address().equals(address)).flatMap(Reservation::hostname);
    }

    private static Optional<Duration> requestedLeaseTime(Context c) {
        return c.request.options().uint32(OptionCode.LEASE_TIME).map(Duration::ofSeconds);
    }

    private Ipv4Address serverId(Context c) {
        return config.serverIdentifier().orElse(c.localAddress);
    }

    private boolean isOurs(Ipv4Address named, Context c) {
        return named.equals(c.localAddress) || config.serverIdentifier().map(named::equals).orElse(false);
    }

    private Decision nak(Context c, String why) {
        return reply(c, ReplyBuilder.nak(c.request, serverId(c), why));
    }

    private Decision.Reply reply(Context c, DhcpMessage reply) {
        return new Decision.Reply(reply, ReplyDestination.of(c.request, reply, config), ReplyBuilder.maxLength(c.request));
    }

    /** One request with what every step needs of it, computed once. */
    private static final class Context {
        final DhcpMessage request;
        final Ipv4Address localAddress;
        final long now;
        final ClientKey key;
        final HardwareAddress hardware;

        Context(DhcpMessage request, Ipv4Address localAddress, long now) {
            this.request = request;
            this.localAddress = localAddress;
            this.now = now;
            this.key = request.clientKey();
            this.hardware = request.hardwareAddress();
        }
    }
}
