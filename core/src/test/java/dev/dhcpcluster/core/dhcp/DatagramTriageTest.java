package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dhcpcluster.port.model.DhcpMessageType;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The classifier that orders a busy node's work, read from raw bytes: every message type, the
 * datagrams the decoder refuses, option overload, and agreement with the decoder on mutated
 * packets.
 */
class DatagramTriageTest {

    private static final int SEED = 12;

    @ParameterizedTest(name = "{0}")
    @EnumSource(DhcpMessageType.class)
    @DisplayName("each message type of option 53 goes to its class: REQUEST, DECLINE, RELEASE and INFORM ahead of DISCOVER, the rest last")
    void everyMessageTypeHasItsClass(DhcpMessageType type) {
        DatagramClass expected = switch (type) {
            case REQUEST, DECLINE, RELEASE, INFORM -> DatagramClass.REQUEST;
            case DISCOVER -> DatagramClass.DISCOVER;
            case OFFER, ACK, NAK -> DatagramClass.OTHER;
        };
        assertEquals(expected, DatagramTriage.classify(TestPackets.ofType(type).encode()));
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {0, 9, 10, 13, 18, 255})
    @DisplayName("a message type no server answers (0, FORCERENEW, lease queries, unassigned) is OTHER")
    void unknownTypesAreOther(int code) {
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(options(53, 1, code, 255)));
    }

    @Test
    @DisplayName("the golden packets of real clients: dhclient and udhcpc DISCOVER and REQUEST")
    void goldenPackets() {
        assertEquals(DatagramClass.DISCOVER, DatagramTriage.classify(DhcpCodecGoldenTest.golden("dhclient-discover")));
        assertEquals(DatagramClass.DISCOVER, DatagramTriage.classify(DhcpCodecGoldenTest.golden("udhcpc-discover")));
        assertEquals(DatagramClass.REQUEST, DatagramTriage.classify(DhcpCodecGoldenTest.golden("dhclient-request")));
        assertEquals(DatagramClass.REQUEST, DatagramTriage.classify(DhcpCodecGoldenTest.golden("udhcpc-request")));
    }

    @Test
    @DisplayName("option 53 after other options and PADs is found; a BOOTREPLY is OTHER whatever its type")
    void typeAmongOtherOptions() {
        assertEquals(DatagramClass.REQUEST, DatagramTriage.classify(options(0, 0, 12, 3, 'a', 'b', 'c', 53, 1, 3, 255)));
        byte[] reply = TestPackets.request().withOp(DhcpMessage.BOOTREPLY).encode();
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(reply));
    }

    @Test
    @DisplayName("malformed datagrams are OTHER: empty, shorter than the header, no cookie, a bad cookie, hlen over 16")
    void malformedHeaders() {
        byte[] discover = TestPackets.discover().encode();
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(new byte[0]));
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(Arrays.copyOf(discover, 235)));
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(Arrays.copyOf(discover, 239)));
        byte[] badCookie = discover.clone();
        badCookie[239] = 0x64;
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(badCookie));
        byte[] longHlen = discover.clone();
        longHlen[2] = 17;
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(longHlen));
    }

    @Test
    @DisplayName("truncated options are OTHER: no END, a code without its length, a value that overruns the datagram")
    void truncatedOptions() {
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(options(53, 1, 1)));
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(options(53, 1, 1, 12)));
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(options(53, 1, 1, 12, 5, 'a')));
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(options(53)));
        // Every prefix of a real DISCOVER that cuts its options is OTHER.
        byte[] discover = TestPackets.discover().withHostName("host").withClientId("01020000000001").encode();
        int end = endOfOptions(discover);
        for (int length = DhcpCodec.OPTIONS_OFFSET; length < end; length++) {
            assertEquals(DatagramClass.OTHER, DatagramTriage.classify(Arrays.copyOf(discover, length)), "cut at " + length);
        }
        assertEquals(DatagramClass.DISCOVER, DatagramTriage.classify(Arrays.copyOf(discover, end + 1)));
    }

    @Test
    @DisplayName("option 53 absent, empty, two octets long, or given twice with one octet each is OTHER; split as 0 + 1 octets it is joined")
    void badMessageTypeOption() {
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(options(12, 1, 'h', 255)));
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(options(53, 0, 255)));
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(options(53, 2, 1, 1, 255)));
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(options(53, 1, 3, 53, 1, 3, 255)));
        assertEquals(DatagramClass.REQUEST, DatagramTriage.classify(options(53, 0, 53, 1, 3, 255)));
    }

    @Test
    @DisplayName("#30 with option overload the type is found in file and in sname, as the decoder reads them")
    void overloadedFields() {
        assertEquals(DatagramClass.REQUEST, DatagramTriage.classify(overloaded(1, bytes(53, 1, 3, 255), bytes())));
        assertEquals(DatagramClass.DISCOVER, DatagramTriage.classify(overloaded(2, bytes(), bytes(53, 1, 1, 255))));
        assertEquals(DatagramClass.REQUEST, DatagramTriage.classify(overloaded(3, bytes(255), bytes(53, 1, 7, 255))));
        // A bad option 52 (value 0) makes the datagram malformed, whatever file holds.
        byte[] plain = overloaded(1, bytes(53, 1, 3, 255), bytes());
        plain[DhcpCodec.OPTIONS_OFFSET + 2] = 0; // option 52's value 1 -> 0: a bad option 52
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(plain));
        // An overloaded field without END, option 52 inside file, option 52 given twice or with value 4.
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(overloaded(1, bytes(53, 1, 3), bytes())));
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(overloaded(1, bytes(52, 1, 2, 53, 1, 3, 255), bytes())));
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(options(52, 1, 1, 52, 1, 1, 53, 1, 3, 255)));
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(options(52, 1, 4, 53, 1, 3, 255)));
        // A type in the options field and another in file are joined: two octets, no type.
        byte[] twice = overloaded(1, bytes(53, 1, 3, 255), bytes());
        byte[] withType = options(52, 1, 1, 53, 1, 3, 255);
        System.arraycopy(withType, DhcpCodec.OPTIONS_OFFSET, twice, DhcpCodec.OPTIONS_OFFSET, 7);
        assertEquals(DatagramClass.OTHER, DatagramTriage.classify(twice));
    }

    @Test
    @DisplayName("on 20,000 mutations of real packets the classifier agrees with the decoder (seed " + SEED + ")")
    void agreesWithTheDecoder() {
        Random random = new Random(SEED);
        byte[][] seeds = {
            DhcpCodecGoldenTest.golden("dhclient-discover"), DhcpCodecGoldenTest.golden("dhclient-request"),
            DhcpCodecGoldenTest.golden("udhcpc-discover"), DhcpCodecGoldenTest.golden("udhcpc-request"),
            overloaded(3, bytes(53, 1, 3, 255), bytes(12, 2, 'h', 'i', 255)),
            TestPackets.release().encode(), TestPackets.inform().encode(),
        };
        for (int i = 0; i < 20_000; i++) {
            byte[] packet = seeds[random.nextInt(seeds.length)].clone();
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++) {
                // Mostly in the options, where the framing is; sometimes the header.
                int at = random.nextInt(4) == 0 ? random.nextInt(packet.length)
                        : DhcpCodec.OPTIONS_OFFSET + random.nextInt(Math.min(40, packet.length - DhcpCodec.OPTIONS_OFFSET));
                packet[at] = (byte) (random.nextInt(3) == 0 ? 53 : random.nextInt(256));
            }
            if (random.nextInt(5) == 0) {
                packet = Arrays.copyOf(packet, DhcpCodec.OPTIONS_OFFSET + random.nextInt(packet.length - DhcpCodec.OPTIONS_OFFSET));
            }
            assertEquals(decoderClass(packet), DatagramTriage.classify(packet), "mutation " + i + " of seed " + SEED);
        }
    }

    /** The class the decoded message would get: what the classifier must agree with. */
    private static DatagramClass decoderClass(byte[] packet) {
        DhcpMessage message;
        try {
            message = DhcpCodec.decode(packet);
        } catch (MalformedPacketException e) {
            return DatagramClass.OTHER;
        }
        if (message.op() != DhcpMessage.BOOTREQUEST) {
            return DatagramClass.OTHER;
        }
        return message.messageType().map(type -> switch (type) {
            case REQUEST, DECLINE, RELEASE, INFORM -> DatagramClass.REQUEST;
            case DISCOVER -> DatagramClass.DISCOVER;
            default -> DatagramClass.OTHER;
        }).orElse(DatagramClass.OTHER);
    }

    /** A BOOTREQUEST with the cookie and then exactly {@code options} (no END added), padded to 300 octets with PAD. */
    private static byte[] options(int... options) {
        byte[] packet = new byte[Math.max(300, DhcpCodec.OPTIONS_OFFSET + options.length)];
        header(packet);
        for (int i = 0; i < options.length; i++) {
            packet[DhcpCodec.OPTIONS_OFFSET + i] = (byte) options[i];
        }
        if (packet.length > DhcpCodec.OPTIONS_OFFSET + options.length && options.length > 0
                && options[options.length - 1] != 255) {
            // What follows the given options is not PAD: cut there, so that "no END" stays so.
            return Arrays.copyOf(packet, DhcpCodec.OPTIONS_OFFSET + options.length);
        }
        return packet;
    }

    /** A BOOTREQUEST whose options field holds option 52 ({@code overload}) and END, with the given file and sname fields. */
    private static byte[] overloaded(int overload, byte[] file, byte[] sname) {
        byte[] packet = options(52, 1, overload, 255);
        System.arraycopy(file, 0, packet, 108, file.length);
        System.arraycopy(sname, 0, packet, 44, sname.length);
        return packet;
    }

    private static void header(byte[] packet) {
        packet[0] = DhcpMessage.BOOTREQUEST;
        packet[1] = 1;
        packet[2] = 6;
        packet[236] = 99;
        packet[237] = (byte) 130;
        packet[238] = 83;
        packet[239] = 99;
    }

    private static byte[] bytes(int... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int value : values) {
            out.write(value);
        }
        return out.toByteArray();
    }

    /** The offset of the END option of an encoded message without overload. */
    private static int endOfOptions(byte[] packet) {
        int i = DhcpCodec.OPTIONS_OFFSET;
        while ((packet[i] & 0xFF) != 255) {
            i += packet[i] == 0 ? 1 : 2 + (packet[i + 1] & 0xFF);
        }
        return i;
    }
}
