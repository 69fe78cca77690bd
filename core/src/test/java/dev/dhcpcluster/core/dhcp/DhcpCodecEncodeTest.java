package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Encoding: padding, maximum sizes, RFC 3396 splitting and option overload. */
class DhcpCodecEncodeTest {

    private static final int DEFAULT = DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH;

    /** One option instance as found on the wire: code, value length, and where it starts. */
    record Instance(int code, int length, int offset) {
    }

    /**
     * Walks one field the way a strict client would, failing the test if an instance runs past
     * the field or END is missing.
     */
    static List<Instance> instancesIn(byte[] raw, int from, int end) {
        List<Instance> found = new ArrayList<>();
        int i = from;
        while (true) {
            assertTrue(i < end, "no END before offset " + end);
            int code = raw[i] & 0xFF;
            if (code == 0) {
                i++;
                continue;
            }
            if (code == 255) {
                return found;
            }
            assertTrue(i + 1 < end, "option " + code + " at " + i + " has no length inside its field");
            int length = raw[i + 1] & 0xFF;
            assertTrue(i + 2 + length <= end, "option " + code + " at " + i + " straddles the end of its field at " + end);
            found.add(new Instance(code, length, i));
            i += 2 + length;
        }
    }

    /** The message with its options sorted by code: what survives an overloaded round trip. */
    static DhcpMessage sortedOptions(DhcpMessage message) {
        DhcpOptions options = message.options();
        DhcpOptions.Builder sorted = DhcpOptions.builder();
        options.codes().stream().sorted().forEach(code -> sorted.put(code, options.get(code).orElseThrow()));
        return message.toBuilder().options(sorted.build()).build();
    }

    private static List<Integer> codes(List<Instance> instances) {
        return instances.stream().map(Instance::code).toList();
    }

    private static byte[] filled(int length, int seed) {
        byte[] value = new byte[length];
        for (int i = 0; i < length; i++) {
            value[i] = (byte) (seed + i);
        }
        return value;
    }

    /** A reply with enough options of various sizes to need overload at 576. */
    private static DhcpMessage.Builder bigReply() {
        DhcpOptions options = DhcpOptions.builder()
                .messageType(DhcpMessageType.OFFER)
                .address(OptionCode.SERVER_IDENTIFIER, Ipv4Address.parse("198.18.0.1"))
                .uint32(OptionCode.LEASE_TIME, 3600)
                .put(OptionCode.DOMAIN_NAME_SERVERS, filled(40, 1))
                .put(OptionCode.DOMAIN_SEARCH, filled(200, 2))
                .put(224, filled(60, 3))
                .put(225, filled(60, 4))
                .put(226, filled(30, 5))
                .put(227, filled(20, 6))
                .string(OptionCode.DOMAIN_NAME, "example.org")
                .build();
        return TestPackets.ofType(DhcpMessageType.OFFER).withOp(DhcpMessage.BOOTREPLY).build().toBuilder().options(options);
    }

    @Test
    @DisplayName("#32 a small message is padded with zeros to 300 octets")
    void smallMessageIsPaddedTo300Octets() {
        byte[] raw = TestPackets.discover().encode();
        assertEquals(DhcpCodec.MIN_MESSAGE_LENGTH, raw.length);
        assertEquals(53, raw[240]);
        assertEquals((byte) 255, raw[243]);
        for (int i = 244; i < raw.length; i++) {
            assertEquals(0, raw[i], "padding at " + i);
        }
    }

    @Test
    void messageLongerThan300OctetsIsNotPadded() {
        byte[] raw = TestPackets.discover().withOption(224, new byte[100]).encode();
        assertEquals(240 + 3 + 102 + 1, raw.length);
        assertEquals((byte) 255, raw[raw.length - 1]);
    }

    @Test
    void headerFieldsAreWrittenInNetworkOrder() {
        byte[] raw = TestPackets.request().withXid(0x01020304).withSecs(0x0506).withBroadcastFlag().withHops(3)
                .withCiaddr("198.18.0.9").withGiaddr("198.18.1.1").withSiaddr("198.18.0.2").withYiaddr("198.18.0.3").encode();
        assertArrayEquals(new byte[] {1, 1, 6, 3, 1, 2, 3, 4, 5, 6, (byte) 0x80, 0}, Arrays.copyOf(raw, 12));
        assertArrayEquals(new byte[] {(byte) 198, 18, 0, 9, (byte) 198, 18, 0, 3, (byte) 198, 18, 0, 2, (byte) 198, 18, 1, 1},
                Arrays.copyOfRange(raw, 12, 28));
        assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 1}, Arrays.copyOfRange(raw, 28, 34));
        assertArrayEquals(new byte[] {99, (byte) 130, 83, 99}, Arrays.copyOfRange(raw, 236, 240));
    }

    @Test
    void maximumMessageSizeBelow576IsRefused() {
        DhcpMessage message = TestPackets.discover().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DhcpCodec.encode(message, 575));
        assertTrue(e.getMessage().contains("576"), e.getMessage());
    }

    @Test
    void hardwareAddressLengthAboveSixteenIsRefused() {
        DhcpMessage message = TestPackets.discover().build().toBuilder().hlen(17).build();
        assertThrows(IllegalArgumentException.class, () -> DhcpCodec.encode(message, DEFAULT));
    }

    @Test
    @DisplayName("#29 at 576 the options field holds 308 octets after the cookie: exactly full is sent without overload")
    void optionsFillingThe576OctetDatagramExactlyNeedNoOverload() {
        // 548-octet message = 240 + 308; 308 = 53 (3) + 224 (2 + 200) + 225 (2 + 100) + END (1)
        byte[] raw = TestPackets.discover().withOption(224, new byte[200]).withOption(225, new byte[100]).encode();
        assertEquals(548, raw.length);
        assertEquals(List.of(53, 224, 225), codes(instancesIn(raw, 240, raw.length)));
        assertEquals((byte) 255, raw[547]);
    }

    @Test
    @DisplayName("#29 one octet more than fits in 576 is moved into file with option 52")
    void oneOctetTooManyOverloadsFile() throws MalformedPacketException {
        DhcpMessage message = TestPackets.discover().withOption(224, new byte[201]).withOption(225, new byte[100]).build();
        byte[] raw = DhcpCodec.encode(message, DEFAULT);

        assertTrue(raw.length <= 548, "length " + raw.length);
        List<Instance> main = instancesIn(raw, 240, raw.length);
        assertEquals(List.of(53, 224, 52), codes(main));
        assertEquals(1, raw[main.get(2).offset() + 2], "option 52 says: file only");
        assertEquals(List.of(225), codes(instancesIn(raw, DhcpCodec.FILE, DhcpCodec.FILE + DhcpMessage.FILE_LENGTH)));
        assertArrayEquals(new byte[DhcpMessage.SNAME_LENGTH], Arrays.copyOfRange(raw, DhcpCodec.SNAME, DhcpCodec.FILE));
        assertEquals(message, DhcpCodec.decode(raw));
    }

    @Test
    @DisplayName("#30 options spill into file, then sname; each field ends with END and no option straddles two fields")
    void overloadUsesFileThenSnameWithEndInEach() throws MalformedPacketException {
        DhcpMessage message = bigReply().build();
        byte[] raw = DhcpCodec.encode(message, DEFAULT);

        assertTrue(raw.length <= 548, "length " + raw.length);
        List<Instance> main = instancesIn(raw, 240, raw.length);
        List<Instance> file = instancesIn(raw, DhcpCodec.FILE, DhcpCodec.FILE + DhcpMessage.FILE_LENGTH);
        List<Instance> sname = instancesIn(raw, DhcpCodec.SNAME, DhcpCodec.SNAME + DhcpMessage.SNAME_LENGTH);
        Instance overload = main.stream().filter(i -> i.code() == 52).findFirst().orElseThrow();
        assertEquals(3, raw[overload.offset() + 2], "option 52 says: file and sname");
        assertFalse(file.isEmpty());
        assertFalse(sname.isEmpty());
        assertEquals(List.of(53, 54, 51, 6, 119, 226, 15, 52), codes(main), "first fit keeps what fits in the options field");
        assertEquals(List.of(224, 225), codes(file));
        assertEquals(List.of(227), codes(sname));

        assertEquals(sortedOptions(message), sortedOptions(DhcpCodec.decode(raw)));
    }

    @Test
    @DisplayName("#33 option 82 stays in the options field, last, when others are overloaded into file and sname")
    void relayAgentInformationStaysLastInTheOptionsField() throws MalformedPacketException {
        byte[] relayInfo = {1, 4, 'e', 't', 'h', '0'};
        DhcpMessage message = bigReply()
                .options(bigReply().build().options().toBuilder().put(OptionCode.RELAY_AGENT_INFORMATION, relayInfo).build())
                .build();
        byte[] raw = DhcpCodec.encode(message, DEFAULT);

        List<Instance> main = instancesIn(raw, 240, raw.length);
        assertEquals(82, main.get(main.size() - 1).code());
        assertFalse(codes(instancesIn(raw, DhcpCodec.FILE, DhcpCodec.FILE + 128)).contains(82));
        assertFalse(codes(instancesIn(raw, DhcpCodec.SNAME, DhcpCodec.SNAME + 64)).contains(82));
        assertArrayEquals(relayInfo, DhcpCodec.decode(raw).options().get(82).orElseThrow());
    }

    @Test
    @DisplayName("#30 a file field in use is never overloaded: options go to sname alone (option 52 = 2)")
    void fileInUseLeavesOnlySnameForOverload() throws MalformedPacketException {
        DhcpMessage message = TestPackets.discover().withFile("pxelinux.0")
                .withOption(224, new byte[250]).withOption(225, new byte[40]).withOption(226, new byte[30]).build();
        byte[] raw = DhcpCodec.encode(message, DEFAULT);

        assertEquals("pxelinux.0", new String(raw, DhcpCodec.FILE, 10, StandardCharsets.US_ASCII));
        List<Instance> main = instancesIn(raw, 240, raw.length);
        Instance overload = main.stream().filter(i -> i.code() == 52).findFirst().orElseThrow();
        assertEquals(2, raw[overload.offset() + 2]);
        assertEquals(List.of(226), codes(instancesIn(raw, DhcpCodec.SNAME, DhcpCodec.SNAME + 64)));
        assertEquals(message, DhcpCodec.decode(raw));
    }

    @Test
    @DisplayName("#30 #31 an option too long for file and sname keeps its room in the options field when small options come first")
    void longOptionAfterSmallOnesStillFitsWithOverload() throws MalformedPacketException {
        // 3 + 4 + 9 + 62 octets come first; the 257-octet first instance of option 61 fits only
        // the options field (304 octets after option 52 and END), so option 60 has to yield.
        DhcpMessage message = TestPackets.discover().withMaxMessageSize(576).withParameterRequestList(1, 3, 6, 12, 15, 28, 42)
                .withVendorClass("x".repeat(60)).withClientId(filled(270, 3)).build();

        byte[] raw = DhcpCodec.encode(message, DEFAULT);

        List<Instance> main = instancesIn(raw, 240, raw.length);
        assertEquals(List.of(53, 57, 55, 61, 61, 52), codes(main));
        assertEquals(List.of(60), codes(instancesIn(raw, DhcpCodec.FILE, DhcpCodec.FILE + DhcpMessage.FILE_LENGTH)));
        assertEquals(sortedOptions(message), sortedOptions(DhcpCodec.decode(raw)));
    }

    @Test
    @DisplayName("#6 a NAK whose options do not fit the options field is refused, not overloaded into sname and file")
    void nakIsNeverOverloaded() {
        DhcpMessage nak = TestPackets.ofType(DhcpMessageType.NAK).withOp(DhcpMessage.BOOTREPLY)
                .withServerIdentifier("198.18.0.2").withClientId(filled(200, 5))
                .withOption(OptionCode.MESSAGE, "n".repeat(100).getBytes(StandardCharsets.US_ASCII)).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DhcpCodec.encode(nak, DEFAULT));

        assertTrue(e.getMessage().contains("DHCPNAK"), e.getMessage());
        DhcpMessage withoutMessage = nak.toBuilder().options(nak.options().toBuilder().remove(OptionCode.MESSAGE).build())
                .build();
        assertFalse(DhcpCodecFuzzTest.isOverloaded(DhcpCodec.encode(withoutMessage, DEFAULT)));
    }

    @Test
    void optionsThatDoNotFitEvenWithOverloadAreRefusedNamingTheSizes() {
        DhcpMessage message = TestPackets.discover().withOption(224, new byte[600]).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DhcpCodec.encode(message, DEFAULT));
        assertTrue(e.getMessage().contains("need 610 octets"), e.getMessage());
        assertTrue(e.getMessage().contains("576"), e.getMessage());
    }

    @Test
    void overloadOptionInTheMessageIsNotCopiedToTheWire() throws MalformedPacketException {
        DhcpMessage message = TestPackets.discover().withOption(OptionCode.OVERLOAD, new byte[] {3}).build();
        byte[] raw = DhcpCodec.encode(message, DEFAULT);
        assertEquals(List.of(53), codes(instancesIn(raw, 240, raw.length)));
        assertEquals(List.of(53), DhcpCodec.decode(raw).options().codes());
    }

    @Test
    @DisplayName("#31 a 600-octet option is written as 255 + 255 + 90 consecutive instances and joined on decode")
    void longOptionIsSplitAndJoined() throws MalformedPacketException {
        byte[] value = filled(600, 7);
        DhcpMessage message = TestPackets.discover().withOption(224, value).withHostName("h").build();
        byte[] raw = DhcpCodec.encode(message, DhcpCodec.ETHERNET_MTU);

        List<Instance> instances = instancesIn(raw, 240, raw.length);
        assertEquals(List.of(53, 224, 224, 224, 12), codes(instances));
        assertEquals(List.of(1, 255, 255, 90, 1), instances.stream().map(Instance::length).toList());
        assertEquals(240 + 3 + 606 + 3 + 1, raw.length);
        DhcpMessage decoded = DhcpCodec.decode(raw);
        assertArrayEquals(value, decoded.options().get(224).orElseThrow());
        assertEquals(message, decoded);
    }

    @Test
    @DisplayName("#29 option 57 counts IP and UDP headers: at 1500 the message is at most 1472 octets, 1501 gives one more")
    void maximumMessageSizeBoundsTheDatagram() {
        int room1500 = 1500 - DhcpCodec.IP_UDP_OVERHEAD - DhcpCodec.OPTIONS_OFFSET; // 1232 octets incl. END
        int value = room1500 - 3 - 22 - 1 - 2 * 5; // five instances of option 224, then 225 with 20 octets
        DhcpMessage message = TestPackets.discover().withOption(224, new byte[value]).withOption(225, new byte[20]).build();

        byte[] at1500 = DhcpCodec.encode(message, 1500);
        assertEquals(1472, at1500.length);
        assertEquals(List.of(53, 224, 224, 224, 224, 224, 225), codes(instancesIn(at1500, 240, at1500.length)));

        DhcpMessage oneMore = TestPackets.discover().withOption(224, new byte[value]).withOption(225, new byte[21]).build();
        byte[] at1500overloaded = DhcpCodec.encode(oneMore, 1500);
        assertTrue(at1500overloaded.length <= 1472);
        assertTrue(codes(instancesIn(at1500overloaded, 240, at1500overloaded.length)).contains(52));
        byte[] at1501 = DhcpCodec.encode(oneMore, 1501);
        assertEquals(1473, at1501.length);
        assertFalse(codes(instancesIn(at1501, 240, at1501.length)).contains(52));
    }

    @Test
    void encodingIntoAReusedBufferOverwritesStaleBytes() {
        DhcpMessage message = TestPackets.discover().withHostName("client").build();
        byte[] expected = DhcpCodec.encode(message, DEFAULT);
        byte[] buffer = new byte[1000];
        Arrays.fill(buffer, (byte) 0x55);

        int length = DhcpCodec.encode(message, DEFAULT, buffer, 10);

        assertEquals(expected.length, length);
        assertArrayEquals(expected, Arrays.copyOfRange(buffer, 10, 10 + length));
        assertEquals(0x55, buffer[9]);
        assertEquals(0x55, buffer[10 + length]);
    }

    @Test
    @DisplayName("whyItDoesNotFit and encodeIfItFits answer as encode does: the same octets where it encodes, its reason where it refuses")
    void whyItDoesNotFitAgreesWithEncode() {
        DhcpMessage fits = TestPackets.discover().withOption(224, new byte[300]).build(); // overloaded, but fits
        DhcpMessage tooLarge = TestPackets.discover().withOption(224, new byte[600]).build();
        DhcpMessage longHardwareAddress = TestPackets.discover().build().toBuilder().hlen(17).build();

        assertTrue(DhcpCodec.whyItDoesNotFit(fits, DEFAULT).isEmpty());
        assertTrue(DhcpCodec.encode(fits, DEFAULT).length <= 576 - 28);
        assertArrayEquals(DhcpCodec.encode(fits, DEFAULT), DhcpCodec.encodeIfItFits(fits, DEFAULT).orElseThrow());
        for (DhcpMessage refused : List.of(tooLarge, longHardwareAddress)) {
            String reason = DhcpCodec.whyItDoesNotFit(refused, DEFAULT).orElseThrow();
            assertEquals(reason, assertThrows(IllegalArgumentException.class, () -> DhcpCodec.encode(refused, DEFAULT)).getMessage());
            assertTrue(DhcpCodec.encodeIfItFits(refused, DEFAULT).isEmpty());
        }
        assertTrue(DhcpCodec.whyItDoesNotFit(tooLarge, DEFAULT).orElseThrow().contains("need 610 octets"));
        assertThrows(IllegalArgumentException.class, () -> DhcpCodec.whyItDoesNotFit(fits, 575));
    }

    @Test
    void encodingIntoABufferThatIsTooSmallWritesNothing() {
        DhcpMessage message = TestPackets.discover().build();
        byte[] buffer = new byte[310];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DhcpCodec.encode(message, DEFAULT, buffer, 20));
        assertTrue(e.getMessage().contains("300"), e.getMessage());
        assertArrayEquals(new byte[310], buffer);
    }

    @Test
    void overloadedEncodingIntoAReusedBufferClearsTheOverloadedFields() throws MalformedPacketException {
        DhcpMessage message = bigReply().build();
        byte[] buffer = new byte[DhcpCodec.ETHERNET_MTU];
        Arrays.fill(buffer, (byte) 0x55);
        int length = DhcpCodec.encode(message, DEFAULT, buffer, 0);
        assertArrayEquals(DhcpCodec.encode(message, DEFAULT), Arrays.copyOf(buffer, length));
        assertEquals(sortedOptions(message), sortedOptions(DhcpCodec.decode(buffer, 0, length)));
    }
}
