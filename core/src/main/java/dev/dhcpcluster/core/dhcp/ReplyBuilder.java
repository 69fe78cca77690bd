package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.core.config.LeaseTimes;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds the server's replies in the format of RFC 2131 Table 3.
 *
 * <p>Header: op BOOTREPLY, hops and secs 0, xid, flags, giaddr and chaddr copied from the request,
 * siaddr, sname and file empty. Options, in this order:
 * <ol>
 *   <li>53 message type, 54 server identifier;</li>
 *   <li>in an OFFER and in the ACK to a REQUEST: 51 lease time, 58 T1 and 59 T2;</li>
 *   <li>61, the client identifier, unaltered, if the client sent one (RFC 6842);</li>
 *   <li>118, the subnet selection, unaltered, if the client sent one (RFC 3011: a client that
 *       sends it discards an OFFER or ACK without it);</li>
 *   <li>the options the client asked for in its parameter request list (55) that the server has,
 *       each once, in the client's order;</li>
 *   <li>the subnet mask and the other configured options it did not ask for;</li>
 *   <li>82, the relay agent information, unaltered, if the relay sent one (RFC 3046).</li>
 * </ol>
 * Options 50, 55 and 57 never appear in a reply. A NAK carries only 53, 54, 56, 61 and 82.
 *
 * <p>The configured options are handed in already merged from every level that applies to the
 * client (reservation, pool, subnet, classes, global); the subnet gives the lease timers and the
 * default subnet mask.
 */
final class ReplyBuilder {

    /** RFC 2131 §2: every DHCP participant accepts a message of 576 octets. */
    static final int MIN_MAX_MESSAGE_SIZE = 576;
    /** The Ethernet MTU: option 57 beyond it is capped, since a reply must not be fragmented. */
    static final int MAX_MAX_MESSAGE_SIZE = 1500;

    private ReplyBuilder() {
    }

    /** A DHCPOFFER of {@code yiaddr} for {@code leaseTime}, with the {@code configured} options. */
    static DhcpMessage offer(DhcpMessage request, SubnetConfig subnet, DhcpOptions configured, Ipv4Address yiaddr,
            Duration leaseTime, Ipv4Address serverId, Optional<String> hostname) {
        return header(request)
                .yiaddr(yiaddr)
                .options(options(request, DhcpMessageType.OFFER, serverId, subnet, configured, leaseTime, hostname))
                .build();
    }

    /** The DHCPACK to a REQUEST, binding {@code yiaddr} for {@code leaseTime}; ciaddr is the request's. */
    static DhcpMessage ack(DhcpMessage request, SubnetConfig subnet, DhcpOptions configured, Ipv4Address yiaddr,
            Duration leaseTime, Ipv4Address serverId, Optional<String> hostname) {
        return header(request)
                .ciaddr(request.ciaddr())
                .yiaddr(yiaddr)
                .options(options(request, DhcpMessageType.ACK, serverId, subnet, configured, leaseTime, hostname))
                .build();
    }

    /** The DHCPACK to an INFORM: options only, no lease time, yiaddr 0 (RFC 2131 §4.3.5). */
    static DhcpMessage informAck(DhcpMessage request, SubnetConfig subnet, DhcpOptions configured,
            Ipv4Address serverId) {
        return header(request)
                .ciaddr(request.ciaddr())
                .options(options(request, DhcpMessageType.ACK, serverId, subnet, configured, null, Optional.empty()))
                .build();
    }

    /**
     * A DHCPNAK: ciaddr, yiaddr and siaddr 0, only options 53, 54, 56, 61 and 82. Through a relay
     * the broadcast bit is set, so the relay broadcasts it to a client whose address is wrong.
     */
    static DhcpMessage nak(DhcpMessage request, Ipv4Address serverId, String message) {
        DhcpOptions.Builder options = DhcpOptions.builder()
                .messageType(DhcpMessageType.NAK)
                .address(OptionCode.SERVER_IDENTIFIER, serverId)
                .string(OptionCode.MESSAGE, message);
        echoClientIdentifier(request, options);
        echoRelayAgentInformation(request, options);
        int flags = request.giaddr().isZero() ? request.flags() : request.flags() | DhcpMessage.FLAG_BROADCAST;
        return header(request).flags(flags).options(options.build()).build();
    }

    /**
     * The largest reply the client accepts: its option 57 if at least 576, at most 1500; else 576
     * (RFC 2132 §9.10).
     */
    static int maxLength(DhcpMessage request) {
        Optional<Integer> asked = request.options().uint16(OptionCode.MAX_MESSAGE_SIZE);
        if (asked.isEmpty() || asked.get() < MIN_MAX_MESSAGE_SIZE) {
            return MIN_MAX_MESSAGE_SIZE;
        }
        return Math.min(asked.get(), MAX_MAX_MESSAGE_SIZE);
    }

    /**
     * The reply less its last optional option, for a reply that does not fit the client's maximum
     * size; the relay agent information goes last of all, since the relay needs it to forward the
     * reply. Null when only the options every reply of its type needs are left.
     */
    static DhcpMessage withoutLastOptional(DhcpMessage reply) {
        DhcpOptions options = reply.options();
        int victim = -1;
        for (int i = options.size() - 1; i >= 0 && victim < 0; i--) {
            int code = options.codeAt(i);
            if (!isEssential(code) && code != OptionCode.RELAY_AGENT_INFORMATION) {
                victim = code;
            }
        }
        if (victim < 0 && options.contains(OptionCode.RELAY_AGENT_INFORMATION)) {
            victim = OptionCode.RELAY_AGENT_INFORMATION;
        }
        if (victim < 0) {
            return null;
        }
        return reply.toBuilder().options(options.toBuilder().remove(victim).build()).build();
    }

    /**
     * Options no reply may lose: the type, who sent it, the lease it grants, the client's
     * identifier, and the subnet selection the client checks for (RFC 3011).
     */
    private static boolean isEssential(int code) {
        return code == OptionCode.MESSAGE_TYPE || code == OptionCode.SERVER_IDENTIFIER
                || code == OptionCode.LEASE_TIME || code == OptionCode.CLIENT_IDENTIFIER
                || code == OptionCode.SUBNET_SELECTION;
    }

    /** Codes the server writes itself or that only a client sends: configuration never supplies them. */
    private static boolean isReservedForServer(int code) {
        switch (code) {
            case OptionCode.REQUESTED_ADDRESS, OptionCode.LEASE_TIME, OptionCode.OVERLOAD, OptionCode.MESSAGE_TYPE,
                    OptionCode.SERVER_IDENTIFIER, OptionCode.PARAMETER_REQUEST_LIST, OptionCode.MESSAGE,
                    OptionCode.MAX_MESSAGE_SIZE, OptionCode.RENEWAL_TIME, OptionCode.REBINDING_TIME,
                    OptionCode.CLIENT_IDENTIFIER, OptionCode.RELAY_AGENT_INFORMATION, OptionCode.SUBNET_SELECTION -> {
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static DhcpMessage.Builder header(DhcpMessage request) {
        return DhcpMessage.builder()
                .op(DhcpMessage.BOOTREPLY)
                .htype(request.htype())
                .hlen(request.hlen())
                .hops(0)
                .xid(request.xid())
                .secs(0)
                .flags(request.flags())
                .giaddr(request.giaddr())
                .chaddr(request.chaddr());
    }

    /**
     * The options of an OFFER or ACK.
     *
     * @param leaseTime the granted lease time, or null for the ACK to an INFORM
     */
    private static DhcpOptions options(DhcpMessage request, DhcpMessageType type, Ipv4Address serverId,
            SubnetConfig subnet, DhcpOptions configured, Duration leaseTime, Optional<String> hostname) {
        DhcpOptions.Builder options = DhcpOptions.builder()
                .messageType(type)
                .address(OptionCode.SERVER_IDENTIFIER, serverId);
        if (leaseTime != null) {
            putLeaseTimes(options, subnet.leaseTimes(), leaseTime);
        }
        echoClientIdentifier(request, options);
        echoSubnetSelection(request, options);
        for (int code : request.options().parameterRequestList()) {
            if (!options.contains(code)) {
                byte[] value = valueFor(code, subnet, configured, hostname);
                if (value != null) {
                    options.put(code, value);
                }
            }
        }
        if (!options.contains(OptionCode.SUBNET_MASK)) {
            options.put(OptionCode.SUBNET_MASK, valueFor(OptionCode.SUBNET_MASK, subnet, configured, hostname));
        }
        if (hostname.isPresent() && !options.contains(OptionCode.HOST_NAME)) {
            options.put(OptionCode.HOST_NAME, valueFor(OptionCode.HOST_NAME, subnet, configured, hostname));
        }
        for (int i = 0; i < configured.size(); i++) {
            int code = configured.codeAt(i);
            if (!options.contains(code) && !isReservedForServer(code)) {
                options.put(code, configured.valueAt(i));
            }
        }
        echoRelayAgentInformation(request, options);
        return options.build();
    }

    /** The value of an option the server has for this client, or null if it has none. */
    private static byte[] valueFor(int code, SubnetConfig subnet, DhcpOptions configured, Optional<String> hostname) {
        if (isReservedForServer(code)) {
            return null;
        }
        if (code == OptionCode.HOST_NAME && hostname.isPresent()) {
            return hostname.get().getBytes(StandardCharsets.UTF_8);
        }
        Optional<byte[]> value = configured.get(code);
        if (value.isPresent()) {
            return value.get();
        }
        if (code == OptionCode.SUBNET_MASK) {
            return subnet.maskAddress().toBytes();
        }
        return null;
    }

    /**
     * Options 51, 58 and 59. T1 and T2 are left out when whole seconds cannot keep
     * 0 < T1 < T2 < lease time (a lease of a few seconds): the client then uses the RFC defaults.
     */
    private static void putLeaseTimes(DhcpOptions.Builder options, LeaseTimes times, Duration leaseTime) {
        long lease = leaseTime.toSeconds();
        options.uint32(OptionCode.LEASE_TIME, lease);
        long t1 = times.renewFor(leaseTime).toSeconds();
        long t2 = times.rebindFor(leaseTime).toSeconds();
        if (0 < t1 && t1 < t2 && t2 < lease) {
            options.uint32(OptionCode.RENEWAL_TIME, t1);
            options.uint32(OptionCode.REBINDING_TIME, t2);
        }
    }

    private static void echoClientIdentifier(DhcpMessage request, DhcpOptions.Builder options) {
        request.options().get(OptionCode.CLIENT_IDENTIFIER).ifPresent(id -> options.put(OptionCode.CLIENT_IDENTIFIER, id));
    }

    /**
     * Option 118 as the client sent it, if it is an address the server could read: the server
     * served the request from that subnet. A malformed one was ignored and is not returned.
     */
    private static void echoSubnetSelection(DhcpMessage request, DhcpOptions.Builder options) {
        if (request.options().address(OptionCode.SUBNET_SELECTION).isPresent()) {
            request.options().get(OptionCode.SUBNET_SELECTION)
                    .ifPresent(selection -> options.put(OptionCode.SUBNET_SELECTION, selection));
        }
    }

    private static void echoRelayAgentInformation(DhcpMessage request, DhcpOptions.Builder options) {
        if (!request.giaddr().isZero()) {
            request.options().get(OptionCode.RELAY_AGENT_INFORMATION)
                    .ifPresent(info -> options.put(OptionCode.RELAY_AGENT_INFORMATION, info));
        }
    }
}
