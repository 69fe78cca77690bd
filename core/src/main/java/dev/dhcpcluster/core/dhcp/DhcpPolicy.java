package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.core.cluster.Responsibility;
import dev.dhcpcluster.core.config.ClientIdentity;
import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.config.Reservation;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
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
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The DHCPv4 server's decisions (RFC 2131 §4.3): given one decoded request, change the lease
 * table and say what to answer. It does no I/O and reads no clock; {@link DhcpServer} decodes,
 * writes the store and sends.
 *
 * <h2>Which subnet</h2>
 * The first of these that applies chooses the subnet a request is served from:
 * <ol>
 *   <li>a relayed request (giaddr set) whose relay agent information (option 82) carries the link
 *       selection sub-option (5, RFC 3527): the subnet containing that address;</li>
 *   <li>a request with the subnet selection option (118, RFC 3011): the subnet containing that
 *       address. The option is returned unchanged in the OFFER or ACK;</li>
 *   <li>a relayed request: the subnet whose {@link SubnetConfig#servesRelay} accepts giaddr;</li>
 *   <li>a direct request from a client that already has an address (ciaddr set: RENEWING,
 *       REBINDING, INFORM): the subnet of ciaddr, since RENEWING clients unicast to the server
 *       from wherever they are;</li>
 *   <li>a direct request: the subnet whose {@link SubnetConfig#interfaceName()} is the interface
 *       it arrived on, else the subnet containing the address it arrived on.</li>
 * </ol>
 * When the first rule that applies names a subnet the server does not serve, the request goes
 * unanswered (another server may serve it). The reply goes where RFC 2131 §4.1 says whichever
 * rule chose the subnet (to giaddr for a relayed request).
 *
 * <h2>Who the client is</h2>
 * Leases are keyed on the {@link ClientKey}. Reservations are found by the request's
 * {@link ClientIdentity}: client identifier first, then hardware address, then the circuit-id
 * and the remote-id of a relayed request's option 82 ({@link ServedSubnet#reservationFor}). The
 * request's {@link dev.dhcpcluster.core.config.ClientClass client classes} decide which pools it
 * may take addresses from, on every path that gives an address (a free one, the requested one, a
 * previous binding, INIT-REBOOT, SELECTING, RENEWING and REBINDING: an address in a pool the
 * client may no longer use is refused with a NAK).
 *
 * <h2>Options</h2>
 * A reply carries the configured options of every level that applies, the most specific winning
 * a code set at several levels, as in Kea: the reservation (when the client gets its reserved
 * address), the pool holding the client's address (ciaddr for an INFORM), the subnet, the
 * client's classes (in configuration order), the global options. Pool, subnet and global options
 * are merged once, up front; class and reservation options only when they apply.
 *
 * <h2>Authoritative subnets</h2>
 * In a subnet configured {@link SubnetConfig#authoritative() authoritative} the server assumes it
 * alone hands out its addresses, as Kea and ISC dhcpd do: a client in INIT-REBOOT it has no record
 * of, and a client RENEWING or REBINDING an address it has no lease of, are told no (NAK) and
 * start over. In other subnets such requests go unanswered, since another server may know them.
 *
 * <h2>Clients of other nodes (RFC 3074)</h2>
 * In a cluster every node may hear a client's broadcasts, and each client's
 * {@link ClientBuckets RFC 3074 hash bucket} is answered by one node alone. The
 * {@link Responsibility} the policy is given says which buckets are this node's; a node alone
 * serves them all ({@link Responsibility#everyBucket()}), and nothing below changes its answers.
 * For a client of another node's bucket the policy drops, counted as
 * {@link DropReason#NOT_THIS_NODES_BUCKET}:
 * <ul>
 *   <li>a DISCOVER: the bucket's owner makes the one offer (RFC 3074: cooperating servers
 *       decide, without exchanging anything beyond their configuration, which one serves a
 *       client);</li>
 *   <li>a REQUEST with ciaddr that came through a relay: a relay forwards only what the client
 *       broadcast, so this is a REBINDING (RFC 2131 §4.4.5), and the bucket's owner answers it
 *       whatever the answer is. A {@link dev.dhcpcluster.port.model.Datagram} does not say
 *       whether it was broadcast, so a REQUEST with ciaddr sent straight to the server is told
 *       apart by the lease on record: a RENEWING client unicasts to its server, the node whose
 *       ACK it holds, which is the node that wrote its lease. A lease this node wrote is
 *       extended as before, whoever's bucket the client is in; a lease another node wrote means
 *       the client broadcast, a REBINDING, left to the bucket's owner (else every node that
 *       heard it would extend the lease at once, and with compare-and-set replication their
 *       changes could all be refused). A request without a lease on record of the client is
 *       treated as below;</li>
 *   <li>an INIT-REBOOT REQUEST (broadcast): every node that holds the client's lease could
 *       extend it, and two nodes extending one lease at once would each spoil the other's
 *       replication, so the bucket's owner answers alone;</li>
 *   <li>a RELEASE or DECLINE that names no server (option 54 is required in both, but a client
 *       that leaves it out must not make every node write);</li>
 *   <li>the NAKs of an authoritative subnet that rest only on this node's lack of a record of
 *       the client's lease (INIT-REBOOT of a client without record or of an address the table
 *       does not give it, RENEWING or REBINDING without a lease): a peer may have just bound the
 *       client and not yet told this node, and a NAK would take the client's address away. The
 *       bucket's owner still sends them. The NAKs that do not depend on this node's record of
 *       the client stay: an address on the wrong network (RFC 2131 §4.3.2: the server SHOULD
 *       NAK it, and needs no lease record to know), a SELECTING REQUEST naming this server, and
 *       an address the table gives another client.</li>
 * </ul>
 * SELECTING REQUESTs, RELEASEs and DECLINEs that name their server, and INFORMs, are unchanged.
 *
 * <h2>Server identity</h2>
 * Option 54 of the replies is {@link ServerConfig#serverIdentifier()}, or else the server's own
 * address the request names, or else the receiving address. A request naming the configured
 * identifier or any address this server has received a request on names this server: a relay that
 * forwards to two of the server's addresses makes the client's REQUEST, naming one of them, arrive
 * on the other too.
 *
 * <p>Not thread-safe: called on the server's single thread.
 */
public final class DhcpPolicy {

    /** How often a subnet's exhaustion is reported to the operator while it lasts. */
    public static final Duration EXHAUSTION_REPORT_INTERVAL = Duration.ofMinutes(1);

    private final ServerConfig config;
    private final LeaseTable table;
    private final ClientClassifier classifier;
    private final Responsibility responsibility;
    /**
     * The server's own addresses, learnt from the interfaces requests arrive on. Only the
     * transport chooses them (never a client), so the set is as small as the server's interfaces.
     */
    private final Set<Ipv4Address> ownAddresses = new HashSet<>();

    /**
     * A policy over {@code table}, which must have been built from {@code config}, for a node
     * alone: it answers the clients of every bucket.
     */
    public DhcpPolicy(ServerConfig config, LeaseTable table) {
        this(config, table, Responsibility.everyBucket());
    }

    /**
     * A policy over {@code table}, which must have been built from {@code config}, that answers
     * for the client buckets {@code responsibility} says are this node's (see the class comment).
     */
    public DhcpPolicy(ServerConfig config, LeaseTable table, Responsibility responsibility) {
        this.config = Objects.requireNonNull(config, "config");
        this.table = Objects.requireNonNull(table, "table");
        this.responsibility = Objects.requireNonNull(responsibility, "responsibility");
        this.classifier = new ClientClassifier(config.clientClasses());
    }

    /**
     * A policy for {@code config} over {@code table} (built from it) that knows the server's own
     * addresses this one has learnt, and keeps them out of the new table's pools: the server's
     * addresses do not change with its configuration.
     */
    DhcpPolicy reconfigured(ServerConfig newConfig, LeaseTable newTable) {
        DhcpPolicy next = new DhcpPolicy(newConfig, newTable, responsibility);
        for (Ipv4Address own : ownAddresses) {
            next.ownAddresses.add(own);
            newTable.excludeServerAddress(own);
        }
        return next;
    }

    /**
     * Decides about one request that arrived on an interface whose name is not known, and updates
     * the lease table accordingly: {@link #decide(DhcpMessage, Ipv4Address, Optional, long)}
     * without an interface name.
     */
    public Decision decide(DhcpMessage request, Ipv4Address localAddress, long nowMillis) {
        return decide(request, localAddress, Optional.empty(), nowMillis);
    }

    /**
     * Decides about one request and updates the lease table accordingly.
     *
     * @param request the decoded message
     * @param localAddress the server's address on the interface the request arrived on
     * @param interfaceName the name of that interface, if the transport knows it: it chooses the
     *     subnet of a directly attached client when a subnet names it
     * @param nowMillis the time, in epoch milliseconds
     */
    public Decision decide(DhcpMessage request, Ipv4Address localAddress, Optional<String> interfaceName,
            long nowMillis) {
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (request.op() != DhcpMessage.BOOTREQUEST) {
            return new Decision.Drop(DropReason.NOT_A_REQUEST, "op " + request.op() + " is not BOOTREQUEST");
        }
        Optional<DhcpMessageType> type = request.messageType();
        if (type.isEmpty()) {
            Optional<byte[]> present = request.options().get(OptionCode.MESSAGE_TYPE);
            if (present.isPresent()) {
                // There, but not one octet naming a type: a broken DHCP message, not a BOOTP one.
                byte[] value = present.get();
                return new Decision.Drop(DropReason.MALFORMED, value.length != 1
                        ? "option 53 (DHCP message type) has length " + value.length + ", not 1"
                        : "unknown DHCP message type " + (value[0] & 0xFF) + " in option 53");
            }
            return new Decision.Drop(DropReason.NOT_A_REQUEST, "no DHCP message type (option 53): BOOTP is not served");
        }
        if (request.hlen() > DhcpMessage.CHADDR_LENGTH) {
            return new Decision.Drop(DropReason.MALFORMED,
                    "hlen " + request.hlen() + " is longer than the 16-octet chaddr");
        }
        Optional<ClientKey> key = request.clientKey();
        if (key.isEmpty()) {
            // Kea drops these too: with no identity, every such client would share one lease.
            return new Decision.Drop(DropReason.NO_CLIENT_IDENTITY,
                    "hlen 0 and no client identifier (option 61): the client cannot be told apart from others");
        }
        if (request.hops() > config.maxHops()) {
            return new Decision.Drop(DropReason.TOO_MANY_HOPS,
                    "hops " + request.hops() + " above the limit of " + config.maxHops());
        }
        if (ownAddresses.add(localAddress)) {
            // The server's own address is never a client's, even when it lies in a pool.
            table.excludeServerAddress(localAddress);
        }
        Context context = new Context(request, key.get(), localAddress, interfaceName, nowMillis, classifier);
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
        if (!servesClient(c)) {
            // Before anything is held for the client: the owner of its bucket makes the one offer.
            return notThisNodesBucket(c, "DISCOVER");
        }
        ServedSubnet subnet = linkSubnet(c);
        if (subnet == null) {
            return noSubnet(c);
        }
        Optional<Reservation> reservation = subnet.reservationFor(c.identity);
        Ipv4Address address = chooseKnownAddress(c, subnet, reservation);
        if (address != null) {
            table.offer(subnet, address, c.key, c.now);
        } else {
            address = table.offerFreeAddress(subnet, c.key, c.classes, c.now);
            if (address == null) {
                return new Decision.Exhausted(subnet.config(),
                        subnet.exhaustionReportDue(c.now, EXHAUSTION_REPORT_INTERVAL.toMillis()));
            }
        }
        Duration leaseTime = offeredLeaseTime(c, subnet, address);
        DhcpMessage offer = ReplyBuilder.offer(c.request, subnet.config(), optionsFor(c, subnet, address, reservation),
                address, leaseTime, serverId(c), hostnameFor(reservation, address));
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
        Optional<Reservation> reservation = subnet.reservationFor(c.identity);
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
     * record of gets no answer (another server may know it), or a NAK in an authoritative subnet;
     * a known client asking for an address that is not its own, or not on this link, is told no.
     */
    private Decision initReboot(Context c, Ipv4Address requested) {
        ServedSubnet subnet = linkSubnet(c);
        if (subnet == null) {
            return noSubnet(c);
        }
        if (!subnet.config().contains(requested)) {
            return nak(c, "address " + requested + " is not on this network");
        }
        if (!servesClient(c)) {
            return notThisNodesBucket(c, "INIT-REBOOT for " + requested);
        }
        Optional<Reservation> reservation = subnet.reservationFor(c.identity);
        Optional<Lease> lease = table.leaseOf(c.key);
        if (reservation.isEmpty() && lease.isEmpty()) {
            if (subnet.config().authoritative()) {
                return nakForWantOfLease(c, "INIT-REBOOT for " + requested + " without record",
                        "no record of this client, and the server is authoritative for " + subnet);
            }
            return new Decision.Drop(DropReason.UNKNOWN_CLIENT, "INIT-REBOOT of " + c.key + " for " + requested
                    + ": no record of the client");
        }
        Ipv4Address own = reservation.isPresent() && available(c, subnet, reservation.get().address())
                ? reservation.get().address()
                : lease.map(Lease::address).orElse(null);
        if (!requested.equals(own) || !available(c, subnet, requested)) {
            // The table's view of the client's address: a peer may have bound it a newer one.
            return nakForWantOfLease(c, "INIT-REBOOT for " + requested + ", not the address on record",
                    "address " + requested + " is not this client's");
        }
        return bindAndAck(c, subnet, requested, reservation);
    }

    /**
     * RENEWING (unicast) and REBINDING (broadcast) look alike once received: ciaddr is the
     * client's address. A lease this server knows, or the client's reserved address, is extended;
     * an address that is on the wrong network, another client's, or in a pool the client may no
     * longer use is refused; an address the server has no record of is left to the server that
     * has, unless the subnet is authoritative (NAK).
     */
    private Decision renewingOrRebinding(Context c) {
        Ipv4Address address = c.request.ciaddr();
        if (!c.request.giaddr().isZero() && !servesClient(c)) {
            // Relayed, so broadcast: REBINDING, which the owner of the client's bucket answers.
            return notThisNodesBucket(c, "REBINDING of " + address + " through relay " + c.request.giaddr());
        }
        ServedSubnet subnet;
        if (c.selectsLink()) {
            subnet = linkSubnet(c);
            if (subnet == null) {
                return noSubnet(c);
            }
            if (!subnet.config().contains(address)) {
                return nak(c, "address " + address + " is not on the network " + subnet + " of " + c.linkDescription());
            }
        } else {
            subnet = table.subnetContaining(address);
            if (subnet == null) {
                if (directSubnet(c) != null) {
                    return nak(c, "address " + address + " is not on this network");
                }
                return noSubnet(c);
            }
        }
        Optional<Lease> lease = table.leaseAt(address);
        Optional<Reservation> reservation = subnet.reservationFor(c.identity);
        boolean known = lease.isPresent() && lease.get().clientKey().equals(c.key)
                && lease.get().state() != LeaseState.DECLINED;
        if (known && !servesClient(c) && !lease.get().writer().equals(config.node())) {
            // Straight from the client, yet not to the node whose ACK it holds (that node wrote the
            // lease, and a RENEWING client asks only its server): a REBINDING broadcast, which every
            // node hears and only the bucket's owner answers. Two nodes extending one lease at once
            // would each spoil the other's replication.
            return notThisNodesBucket(c, "REBINDING of " + address + ", whose lease node "
                    + lease.get().writer().value() + " wrote");
        }
        boolean reserved = reservation.isPresent() && reservation.get().address().equals(address);
        boolean available = available(c, subnet, address);
        if (known || reserved) {
            return available
                    ? bindAndAck(c, subnet, address, reservation)
                    : nak(c, "address " + address + " is no longer available to this client");
        }
        if (!available && belongsToSomeoneElse(subnet, address)) {
            // Not for want of a record: the table gives the address to someone else (or it is
            // infrastructure or reserved), and that binding is protected whoever's bucket asks.
            return nak(c, "address " + address + " belongs to another client");
        }
        if (subnet.config().authoritative()) {
            return nakForWantOfLease(c, "renewal of " + address + " without a lease",
                    "no record of a lease of " + address + " for this client, and the server is authoritative for "
                    + subnet);
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
        // A reserved name wins; the client's own (option 81, else 12) is stored only if it is a
        // valid host name, so that no stored name can break a log line or a table row. What the
        // client sent is kept beside it in any case, as the octets it sent in this REQUEST: a
        // renewal without a name leaves the lease with none, as Kea does (the lease says what the
        // latest request said).
        Optional<ClientHostName> sentByClient = ClientHostName.of(c.request.options());
        Optional<ClientHostName> offered = reservedName.isPresent() ? Optional.empty() : sentByClient;
        Optional<String> leaseName = reservedName.isPresent()
                ? reservedName
                : offered.flatMap(ClientHostName::storable);
        List<Lease> writes = table.bind(subnet, address, c.key, c.hardware, leaseName,
                sentByClient.map(ClientHostName::sent), leaseTime, c.now);
        DhcpMessage ack = ReplyBuilder.ack(c.request, subnet.config(), optionsFor(c, subnet, address, reservation),
                address, leaseTime, serverId(c), reservedName);
        return new Decision.ReplyWhenDurable(reply(c, ack), writes, offered.filter(name -> !name.valid()));
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
        if (named.isEmpty() && !servesClient(c)) {
            return notThisNodesBucket(c, "DECLINE of " + address.get() + " naming no server");
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
        if (named.isEmpty() && !servesClient(c)) {
            return notThisNodesBucket(c, "RELEASE of " + address + " naming no server");
        }
        return table.release(address, c.key, c.now)
                .<Decision>map(Decision.Record::new)
                .orElseGet(() -> new Decision.Drop(DropReason.IGNORED,
                        "RELEASE of " + address + " by " + c.key + ", which does not hold it"));
    }

    private Decision inform(Context c) {
        Ipv4Address address = c.request.ciaddr();
        ServedSubnet subnet;
        if (c.selectsLink()) {
            subnet = linkSubnet(c);
        } else if (!address.isZero()) {
            subnet = table.subnetContaining(address);
        } else {
            subnet = directSubnet(c);
        }
        if (subnet == null) {
            return noSubnet(c);
        }
        // The client's own address decides its pool's options, and its reservation's if it is the reserved one.
        Optional<Reservation> reservation = subnet.reservationFor(c.identity);
        DhcpOptions options = optionsFor(c, subnet, address, reservation);
        return reply(c, ReplyBuilder.informAck(c.request, subnet.config(), options, serverId(c)));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The subnet of the client's link, by the rules of the class comment other than ciaddr's:
     * link selection, subnet selection, giaddr, receiving interface. Null if not served.
     */
    private ServedSubnet linkSubnet(Context c) {
        if (c.linkSelection != null) {
            return table.subnetContaining(c.linkSelection);
        }
        if (c.subnetSelection != null) {
            return table.subnetContaining(c.subnetSelection);
        }
        if (!c.request.giaddr().isZero()) {
            return table.subnetForRelay(c.request.giaddr());
        }
        return directSubnet(c);
    }

    /** The subnet of a directly attached client: by the receiving interface's name, else its address. */
    private ServedSubnet directSubnet(Context c) {
        if (c.interfaceName.isPresent()) {
            ServedSubnet named = table.subnetForInterface(c.interfaceName.get());
            if (named != null) {
                return named;
            }
        }
        return table.subnetContaining(c.localAddress);
    }

    private Decision noSubnet(Context c) {
        return new Decision.Drop(DropReason.NO_SUBNET, "no subnet is configured for " + c.linkDescription());
    }

    private boolean available(Context c, ServedSubnet subnet, Ipv4Address address) {
        return table.isAvailable(subnet, address, c.identity, c.classes, c.now);
    }

    /**
     * The configured options for this client given {@code address}, most specific first:
     * reservation (if {@code address} is the reserved one), pool, subnet, classes, global.
     */
    private DhcpOptions optionsFor(Context c, ServedSubnet subnet, Ipv4Address address,
            Optional<Reservation> reservation) {
        DhcpOptions options = c.classes.isEmpty()
                ? subnet.optionsWithGlobal(address)
                : subnet.options(address).withDefaults(classifier.optionsOf(c.classes, config.options()));
        if (reservation.isPresent() && reservation.get().address().equals(address)) {
            options = reservation.get().options().withDefaults(options);
        }
        return options;
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
        if (config.serverIdentifier().isPresent()) {
            return config.serverIdentifier().get();
        }
        // A client that named one of this server's addresses hears back from the one it chose.
        Optional<Ipv4Address> named = c.request.options().address(OptionCode.SERVER_IDENTIFIER);
        return named.filter(ownAddresses::contains).orElse(c.localAddress);
    }

    private boolean isOurs(Ipv4Address named, Context c) {
        return named.equals(c.localAddress) || ownAddresses.contains(named)
                || config.serverIdentifier().map(named::equals).orElse(false);
    }

    /** True if this node answers for the client's RFC 3074 bucket. */
    private boolean servesClient(Context c) {
        return responsibility.servesEveryBucket() || responsibility.servesBucket(c.bucket());
    }

    private Decision notThisNodesBucket(Context c, String what) {
        return new Decision.Drop(DropReason.NOT_THIS_NODES_BUCKET, what + " from " + c.key + ": bucket " + c.bucket()
                + " is another node's");
    }

    /**
     * The NAK an authoritative server sends because it has no record of the client's lease: sent
     * only for a client of this node's buckets, since a peer may have just bound any other client
     * (see the class comment); for those the request is dropped, nothing changed.
     */
    private Decision nakForWantOfLease(Context c, String what, String why) {
        return servesClient(c) ? nak(c, why) : notThisNodesBucket(c, what + " left to the bucket's owner");
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
        final Optional<String> interfaceName;
        final long now;
        final ClientKey key;
        final HardwareAddress hardware;
        final ClientIdentity identity;
        final Set<String> classes;
        /** The link selection sub-option of a relayed request's option 82 (RFC 3527), or null. */
        final Ipv4Address linkSelection;
        /** The subnet selection option, 118 (RFC 3011), or null. */
        final Ipv4Address subnetSelection;
        /** The client's RFC 3074 bucket once computed, else -1: most requests never need it. */
        private int bucket = -1;

        Context(DhcpMessage request, ClientKey key, Ipv4Address localAddress, Optional<String> interfaceName,
                long now, ClientClassifier classifier) {
            this.request = request;
            this.localAddress = localAddress;
            this.interfaceName = interfaceName;
            this.now = now;
            this.key = key;
            this.hardware = request.hardwareAddress();
            RelayAgentInformation relay = RelayAgentInformation.of(request);
            this.identity = new ClientIdentity(key, hardware,
                    relay.subOption(RelayAgentInformation.CIRCUIT_ID).filter(id -> id.length > 0).map(Octets::of),
                    relay.subOption(RelayAgentInformation.REMOTE_ID).filter(id -> id.length > 0).map(Octets::of));
            this.classes = classifier.classesOf(request, hardware, relay);
            this.linkSelection = relay.linkSelection().orElse(null);
            this.subnetSelection = request.options().address(OptionCode.SUBNET_SELECTION).orElse(null);
        }

        /** The client's RFC 3074 hash bucket. */
        int bucket() {
            if (bucket < 0) {
                bucket = ClientBuckets.bucketOf(request);
            }
            return bucket;
        }

        /** True if the request names its link (link selection, subnet selection or giaddr) rather than ciaddr or the interface. */
        boolean selectsLink() {
            return linkSelection != null || subnetSelection != null || !request.giaddr().isZero();
        }

        /** What chose (or failed to choose) the subnet, for NAK messages and logs. */
        String linkDescription() {
            if (linkSelection != null) {
                return "link selection " + linkSelection + " of relay " + request.giaddr();
            }
            if (subnetSelection != null) {
                return "subnet selection " + subnetSelection;
            }
            if (!request.giaddr().isZero()) {
                return "relay " + request.giaddr();
            }
            return interfaceName.map(name -> "interface " + name + " (address " + localAddress + ")")
                    .orElse("interface address " + localAddress);
        }
    }
}
