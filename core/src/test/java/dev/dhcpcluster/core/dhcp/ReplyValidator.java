package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that a reply the policy decided to send is a packet a client can take, whatever the
 * request was: the RFC-CHECKLIST lines on reply format that hold for every reply, plus the codec
 * round trip. Used by the policy fuzz test, so each failure message says which line broke.
 *
 * <ul>
 *   <li>the reply encodes as {@link DhcpServer} encodes it (optional options trimmed from the end
 *       until it fits, #29) within the client's maximum, and decodes back to the same message;</li>
 *   <li>#1 op BOOTREPLY, hops 0, secs 0; xid, flags, giaddr, htype, hlen and chaddr from the
 *       request (flags may gain the broadcast bit only on a NAK through a relay, #9);</li>
 *   <li>#2 option 53 and option 54 in every reply;</li>
 *   <li>#3 option 51 in an OFFER and in the ACK to a REQUEST, never in a NAK or the ACK to an INFORM;</li>
 *   <li>#4 never option 50, 55 or 57;</li>
 *   <li>#6 a NAK has ciaddr, yiaddr and siaddr 0, sname and file unused, and only options 53, 54,
 *       56, 61, 60 (and 82 through a relay);</li>
 *   <li>#32 at least 300 octets.</li>
 * </ul>
 * It also checks that the reply answers the request: an OFFER to a DISCOVER, an ACK or NAK to a
 * REQUEST, an ACK to an INFORM, and nothing to anything else.
 */
final class ReplyValidator {

    private static final Set<Integer> NAK_OPTIONS = Set.of(OptionCode.MESSAGE_TYPE, OptionCode.SERVER_IDENTIFIER,
            OptionCode.MESSAGE, OptionCode.CLIENT_IDENTIFIER, OptionCode.VENDOR_CLASS_IDENTIFIER);
    private static final int HEADER_OVERLOAD_FIELDS_START = DhcpCodec.SNAME;
    private static final int HEADER_OVERLOAD_FIELDS_END = DhcpCodec.FILE + DhcpMessage.FILE_LENGTH;

    private ReplyValidator() {
    }

    /**
     * Checks the reply a decision carries, if any.
     *
     * @return the reply as encoded for the wire, or empty if the decision sends nothing now (or
     *     the server would drop the reply because even its essential options do not fit)
     */
    static Optional<byte[]> check(DhcpMessage request, Decision decision) {
        Decision.Reply reply;
        if (decision instanceof Decision.Reply now) {
            reply = now;
        } else if (decision instanceof Decision.ReplyWhenDurable ack) {
            reply = ack.reply();
        } else {
            return Optional.empty();
        }
        return checkReply(request, reply);
    }

    private static Optional<byte[]> checkReply(DhcpMessage request, Decision.Reply reply) {
        DhcpMessageType type = reply.message().messageType()
                .orElseGet(() -> fail("#2 the reply has no valid option 53: " + reply.message()));
        assertAnswers(request, type);
        assertTrue(reply.maxLength() >= DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH && reply.maxLength() <= DhcpCodec.ETHERNET_MTU,
                "#29 maximum length " + reply.maxLength() + " is outside 576-1500");

        Optional<Encoded> encoded = encodeAsTheServerDoes(reply);
        if (encoded.isEmpty()) {
            return Optional.empty();
        }
        byte[] raw = encoded.get().raw();
        DhcpMessage sent = encoded.get().message();
        assertTrue(raw.length <= DhcpCodec.maxPayloadLength(reply.maxLength()),
                "#29 " + raw.length + " octets exceed the client's maximum of " + reply.maxLength());
        assertTrue(raw.length >= DhcpCodec.MIN_MESSAGE_LENGTH, "#32 the reply has only " + raw.length + " octets");

        DhcpMessage decoded = decode(raw);
        if (DhcpCodecFuzzTest.isOverloaded(raw)) {
            assertEquals(DhcpCodecEncodeTest.sortedOptions(sent), DhcpCodecEncodeTest.sortedOptions(decoded),
                    "an overloaded reply decodes to other options than were sent");
        } else {
            assertEquals(sent, decoded, "the reply decodes to another message than was sent");
        }

        assertHeader(request, decoded, type);
        assertOptions(request, decoded, type);
        if (type == DhcpMessageType.NAK) {
            assertNak(request, decoded, raw);
        }
        return Optional.of(raw);
    }

    /** The message and its bytes, as {@link DhcpServer} would send it. */
    private record Encoded(DhcpMessage message, byte[] raw) {
    }

    /**
     * Encodes as {@link DhcpServer} does: the whole reply if it fits, else with optional options
     * dropped from the end (#29); empty if not even the essential options fit, when the server
     * drops the reply and counts it.
     */
    private static Optional<Encoded> encodeAsTheServerDoes(Decision.Reply reply) {
        DhcpMessage message = reply.message();
        while (true) {
            try {
                return Optional.of(new Encoded(message, DhcpCodec.encode(message, reply.maxLength())));
            } catch (IllegalArgumentException tooLarge) {
                message = ReplyBuilder.withoutLastOptional(message);
                if (message == null) {
                    return Optional.empty();
                }
            }
        }
    }

    private static void assertAnswers(DhcpMessage request, DhcpMessageType reply) {
        DhcpMessageType asked = request.messageType().orElseGet(() -> fail("a reply to a request without option 53"));
        boolean fitting = switch (asked) {
            case DISCOVER -> reply == DhcpMessageType.OFFER;
            case REQUEST -> reply == DhcpMessageType.ACK || reply == DhcpMessageType.NAK;
            case INFORM -> reply == DhcpMessageType.ACK;
            default -> false;
        };
        assertTrue(fitting, "a " + reply + " in answer to a " + asked);
    }

    private static void assertHeader(DhcpMessage request, DhcpMessage reply, DhcpMessageType type) {
        assertEquals(DhcpMessage.BOOTREPLY, reply.op(), "#1 op");
        assertEquals(0, reply.hops(), "#1 hops");
        assertEquals(0, reply.secs(), "#1 secs");
        assertEquals(request.xid(), reply.xid(), "#1 xid");
        assertEquals(request.giaddr(), reply.giaddr(), "#1 giaddr");
        assertEquals(request.htype(), reply.htype(), "#1 htype");
        assertEquals(request.hlen(), reply.hlen(), "#1 hlen");
        assertArrayEquals(request.chaddr(), reply.chaddr(), "#1 chaddr");
        boolean relayedNak = type == DhcpMessageType.NAK && !request.giaddr().isZero();
        int expectedFlags = relayedNak ? request.flags() | DhcpMessage.FLAG_BROADCAST : request.flags();
        assertEquals(expectedFlags, reply.flags(), "#1 #9 flags");
    }

    private static void assertOptions(DhcpMessage request, DhcpMessage reply, DhcpMessageType type) {
        DhcpOptions options = reply.options();
        assertTrue(options.address(OptionCode.SERVER_IDENTIFIER).isPresent(), "#2 no four-octet option 54 in a " + type);
        boolean ackToInform = type == DhcpMessageType.ACK
                && request.messageType().filter(asked -> asked == DhcpMessageType.INFORM).isPresent();
        boolean grantsLease = type == DhcpMessageType.OFFER || (type == DhcpMessageType.ACK && !ackToInform);
        if (grantsLease) {
            assertTrue(options.uint32(OptionCode.LEASE_TIME).isPresent(), "#3 no four-octet option 51 in a " + type);
        } else {
            assertFalse(options.contains(OptionCode.LEASE_TIME), "#3 option 51 in a " + type
                    + (ackToInform ? " to an INFORM" : ""));
        }
        for (int forbidden : new int[] {OptionCode.REQUESTED_ADDRESS, OptionCode.PARAMETER_REQUEST_LIST,
                OptionCode.MAX_MESSAGE_SIZE}) {
            assertFalse(options.contains(forbidden), "#4 option " + forbidden + " in a " + type);
        }
    }

    private static void assertNak(DhcpMessage request, DhcpMessage nak, byte[] raw) {
        assertEquals(Ipv4Address.ZERO, nak.ciaddr(), "#6 NAK ciaddr");
        assertEquals(Ipv4Address.ZERO, nak.yiaddr(), "#6 NAK yiaddr");
        assertEquals(Ipv4Address.ZERO, nak.siaddr(), "#6 NAK siaddr");
        for (int i = HEADER_OVERLOAD_FIELDS_START; i < HEADER_OVERLOAD_FIELDS_END; i++) {
            assertEquals(0, raw[i], "#6 NAK sname or file used at offset " + i);
        }
        for (int code : nak.options().codes()) {
            boolean relayInfo = code == OptionCode.RELAY_AGENT_INFORMATION && !request.giaddr().isZero();
            assertTrue(NAK_OPTIONS.contains(code) || relayInfo, "#6 option " + code + " in a NAK");
        }
    }

    private static DhcpMessage decode(byte[] raw) {
        try {
            return DhcpCodec.decode(raw);
        } catch (MalformedPacketException e) {
            throw new AssertionError("the encoded reply does not decode: " + e.getMessage(), e);
        }
    }
}
