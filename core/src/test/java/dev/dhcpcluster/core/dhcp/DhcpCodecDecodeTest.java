package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.DhcpMessageType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Decoding: bounds, broken packets, RFC 3396 joining and option overload. */
class DhcpCodecDecodeTest {

    /** A header with the cookie, followed by the given octets as the options area. */
    static byte[] withOptionArea(int... octets) {
        byte[] packet = Arrays.copyOf(TestPackets.discover().encode(), DhcpCodec.OPTIONS_OFFSET + octets.length);
        for (int i = 0; i < octets.length; i++) {
            packet[DhcpCodec.OPTIONS_OFFSET + i] = (byte) octets[i];
        }
        return packet;
    }

    private static MalformedPacketException rejected(byte[] packet) {
        return assertThrows(MalformedPacketException.class, () -> DhcpCodec.decode(packet));
    }

    @Test
    void packetShorterThanTheHeaderIsRejected() {
        MalformedPacketException e = rejected(Arrays.copyOf(TestPackets.discover().encode(), 235));
        assertEquals(235, e.offset());
        assertTrue(e.getMessage().startsWith("malformed DHCP packet at offset 235: "), e.getMessage());
        assertTrue(e.reason().contains("236-octet BOOTP header"), e.reason());
    }

    @Test
    void headerWithoutRoomForTheCookieIsRejected() {
        rejected(Arrays.copyOf(TestPackets.discover().encode(), 236));
        rejected(Arrays.copyOf(TestPackets.discover().encode(), 239));
    }

    @Test
    void headerAndCookieWithoutEndIsRejected() {
        MalformedPacketException e = rejected(withOptionArea());
        assertEquals(240, e.offset());
        assertTrue(e.reason().contains("no END option"), e.reason());
    }

    @Test
    void headerCookieAndLoneEndIsTheShortestValidMessage() throws MalformedPacketException {
        DhcpMessage message = DhcpCodec.decode(withOptionArea(255));
        assertEquals(0, message.options().size());
        assertEquals(TestPackets.DEFAULT_XID, message.xid());
    }

    @Test
    void badMagicCookieIsRejected() {
        byte[] packet = TestPackets.discover().encode();
        packet[239] = 98;
        MalformedPacketException e = rejected(packet);
        assertEquals(236, e.offset());
        assertEquals("magic cookie is 99.130.83.98, not 99.130.83.99", e.reason());
    }

    @Test
    void optionRunningPastTheEndIsRejectedWithItsOffset() {
        // option 53 ok, then option 51 claims 4 octets but only 2 follow
        MalformedPacketException e = rejected(withOptionArea(53, 1, 1, 51, 4, 0, 0));
        assertEquals(243, e.offset());
        assertEquals("malformed DHCP packet at offset 243: option 51 overruns the packet", e.getMessage());
    }

    @Test
    void optionWithoutLengthOctetIsRejected() {
        MalformedPacketException e = rejected(withOptionArea(53, 1, 1, 51));
        assertEquals(243, e.offset());
    }

    @Test
    void missingEndIsRejected() {
        MalformedPacketException e = rejected(withOptionArea(53, 1, 1, 0, 0));
        assertEquals(245, e.offset());
        assertTrue(e.reason().contains("no END option"));
    }

    @Test
    void hardwareAddressLongerThanChaddrIsRejected() {
        byte[] packet = TestPackets.discover().encode();
        packet[2] = 17;
        MalformedPacketException e = rejected(packet);
        assertEquals(2, e.offset());
        assertTrue(e.reason().contains("hlen 17"));
    }

    @Test
    void hardwareAddressOfSixteenOctetsIsAccepted() throws MalformedPacketException {
        byte[] packet = TestPackets.discover().encode();
        packet[2] = 16;
        assertEquals(16, DhcpCodec.decode(packet).hlen());
    }

    @Test
    void padIsSkippedAndEverythingAfterEndIgnored() throws MalformedPacketException {
        DhcpMessage message = DhcpCodec.decode(withOptionArea(0, 0, 53, 1, 3, 0, 255, 12, 99, 1));
        assertEquals(List.of(53), message.options().codes());
        assertEquals(DhcpMessageType.REQUEST, message.messageType().orElseThrow());
    }

    @Test
    void unknownOptionsAreKeptInWireOrder() throws MalformedPacketException {
        DhcpMessage message = DhcpCodec.decode(withOptionArea(53, 1, 1, 224, 2, 7, 8, 80, 0, 12, 1, 'h', 255));
        assertEquals(List.of(53, 224, 80, 12), message.options().codes());
        assertArrayEquals(new byte[] {7, 8}, message.options().get(224).orElseThrow());
        assertArrayEquals(new byte[0], message.options().get(80).orElseThrow());
    }

    @Test
    @DisplayName("#31 repeated instances of one code are joined in order, at the position of the first")
    void repeatedInstancesAreJoined() throws MalformedPacketException {
        DhcpMessage message = DhcpCodec.decode(withOptionArea(224, 2, 1, 2, 53, 1, 1, 224, 1, 3, 255));
        assertEquals(List.of(224, 53), message.options().codes());
        assertArrayEquals(new byte[] {1, 2, 3}, message.options().get(224).orElseThrow());
    }

    @Test
    @DisplayName("#31 a packet of many options (past the decoder's linear search) joins repeated codes in order too")
    void manyOptionsAreJoinedAsFewAre() throws MalformedPacketException {
        // 40 distinct codes (224-254 and 160-168), each twice: 80 instances, then END.
        int[] codes = new int[40];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = i < 31 ? 224 + i : 160 + i - 31;
        }
        int[] area = new int[2 * codes.length * 3 + 1];
        int at = 0;
        for (int round = 0; round < 2; round++) {
            for (int code : codes) {
                area[at++] = code;
                area[at++] = 1;
                area[at++] = round == 0 ? code & 0x7F : 0x80 | (code & 0x7F);
            }
        }
        area[at] = 255;
        DhcpOptions options = DhcpCodec.decode(withOptionArea(area)).options();
        assertEquals(Arrays.stream(codes).boxed().toList(), options.codes());
        for (int code : codes) {
            assertArrayEquals(new byte[] {(byte) (code & 0x7F), (byte) (0x80 | (code & 0x7F))}, options.get(code).orElseThrow());
        }
    }

    @Test
    @DisplayName("chaddr, sname and file are read from the packet, whether empty or not, and their copies are the caller's")
    void fixedFieldsAreReadFromThePacket() throws MalformedPacketException {
        byte[] empty = withOptionArea(255);
        byte[] named = empty.clone();
        named[DhcpCodec.SNAME] = 'h';
        named[DhcpCodec.FILE + 127] = 'f';
        DhcpMessage withNames = DhcpCodec.decode(named);
        DhcpMessage without = DhcpCodec.decode(empty);
        assertArrayEquals(Arrays.copyOfRange(named, DhcpCodec.CHADDR, DhcpCodec.CHADDR + 16), withNames.chaddr());
        assertEquals('h', withNames.sname()[0]);
        assertEquals('f', withNames.file()[127]);
        assertArrayEquals(new byte[64], without.sname());
        assertArrayEquals(new byte[128], without.file());

        byte[] handedOut = without.sname();
        handedOut[0] = 'x';
        DhcpMessage rebuilt = without.toBuilder().xid(7).build();
        assertArrayEquals(new byte[64], without.sname());
        assertArrayEquals(new byte[64], rebuilt.sname());
        assertArrayEquals(new byte[64], DhcpCodec.decode(empty).sname());
    }

    @Test
    @DisplayName("#30 with overload 3 the options field is read first, then file, then sname")
    void overloadReadsOptionsThenFileThenSname() throws MalformedPacketException {
        byte[] packet = withOptionArea(53, 1, 1, 52, 1, 3, 224, 1, 'a', 255);
        packet[DhcpCodec.SNAME] = (byte) 224;
        packet[DhcpCodec.SNAME + 1] = 1;
        packet[DhcpCodec.SNAME + 2] = 'c';
        packet[DhcpCodec.SNAME + 3] = (byte) 255;
        packet[DhcpCodec.FILE] = (byte) 224;
        packet[DhcpCodec.FILE + 1] = 1;
        packet[DhcpCodec.FILE + 2] = 'b';
        packet[DhcpCodec.FILE + 3] = 12;
        packet[DhcpCodec.FILE + 4] = 1;
        packet[DhcpCodec.FILE + 5] = 'h';
        packet[DhcpCodec.FILE + 6] = (byte) 255;

        DhcpMessage message = DhcpCodec.decode(packet);

        assertEquals(List.of(53, 224, 12), message.options().codes());
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), message.options().get(224).orElseThrow());
        assertArrayEquals(new byte[DhcpMessage.SNAME_LENGTH], message.sname());
        assertArrayEquals(new byte[DhcpMessage.FILE_LENGTH], message.file());
        assertTrue(!message.options().contains(OptionCode.OVERLOAD), "option 52 is framing, not kept");
    }

    @Test
    @DisplayName("#30 an overloaded file field without END is rejected")
    void overloadedFileWithoutEndIsRejected() {
        byte[] packet = withOptionArea(53, 1, 1, 52, 1, 1, 255);
        Arrays.fill(packet, DhcpCodec.FILE, DhcpCodec.FILE + DhcpMessage.FILE_LENGTH, (byte) 0);
        MalformedPacketException e = rejected(packet);
        assertEquals(DhcpCodec.FILE + DhcpMessage.FILE_LENGTH, e.offset());
        assertTrue(e.reason().contains("file field"), e.reason());
    }

    @Test
    @DisplayName("#30 an option in sname may not run past the sname field into file")
    void optionOverrunningSnameIsRejected() {
        byte[] packet = withOptionArea(53, 1, 1, 52, 1, 2, 255);
        packet[DhcpCodec.SNAME + 60] = 12;
        packet[DhcpCodec.SNAME + 61] = 5;
        MalformedPacketException e = rejected(packet);
        assertEquals(DhcpCodec.SNAME + 60, e.offset());
        assertEquals("option 12 overruns the sname field", e.reason());
    }

    @Test
    void snameAndFileAreKeptWhenNotOverloaded() throws MalformedPacketException {
        DhcpMessage message = DhcpCodec.decode(TestPackets.discover().withSname("server").withFile("boot.img").encode());
        assertEquals("server", new String(message.sname(), 0, 6, StandardCharsets.US_ASCII));
        assertEquals("boot.img", new String(message.file(), 0, 8, StandardCharsets.US_ASCII));
    }

    @Test
    void invalidOverloadValuesAreRejected() {
        assertEquals("option 52 has value 4, not 1, 2 or 3", rejected(withOptionArea(52, 1, 4, 255)).reason());
        assertEquals("option 52 has length 2, not 1", rejected(withOptionArea(52, 2, 1, 1, 255)).reason());
        assertEquals("option 52 appears more than once", rejected(withOptionArea(52, 1, 1, 52, 1, 1, 255)).reason());
    }

    @Test
    void overloadOptionInsideAnOverloadedFieldIsRejected() {
        byte[] packet = withOptionArea(52, 1, 1, 255);
        packet[DhcpCodec.FILE] = 52;
        packet[DhcpCodec.FILE + 1] = 1;
        packet[DhcpCodec.FILE + 2] = 2;
        packet[DhcpCodec.FILE + 3] = (byte) 255;
        assertEquals(DhcpCodec.FILE, rejected(packet).offset());
    }

    @Test
    @DisplayName("a datagram larger than the Ethernet MTU is still decoded: 1500 and 1501 octets both")
    void datagramsBeyondTheMtuAreAccepted() throws MalformedPacketException {
        for (int length : new int[] {DhcpCodec.ETHERNET_MTU, DhcpCodec.ETHERNET_MTU + 1}) {
            byte[] packet = Arrays.copyOf(TestPackets.discover().encode(), length);
            assertEquals(length, packet.length);
            assertEquals(DhcpMessageType.DISCOVER, DhcpCodec.decode(packet).messageType().orElseThrow());
        }
    }

    @Test
    void datagramLongerThanTheLargestUdpPayloadIsRejected() throws MalformedPacketException {
        byte[] largest = Arrays.copyOf(TestPackets.discover().encode(), DhcpCodec.MAX_DATAGRAM_LENGTH);
        DhcpCodec.decode(largest);
        MalformedPacketException e = rejected(Arrays.copyOf(largest, DhcpCodec.MAX_DATAGRAM_LENGTH + 1));
        assertTrue(e.reason().contains("65507"), e.reason());
    }

    @Test
    void decodesASliceOfALargerBufferWithOffsetsRelativeToTheSlice() throws MalformedPacketException {
        byte[] packet = TestPackets.request().withRequestedAddress("198.18.0.10").encode();
        byte[] buffer = new byte[packet.length + 20];
        System.arraycopy(packet, 0, buffer, 7, packet.length);
        assertEquals(DhcpCodec.decode(packet), DhcpCodec.decode(buffer, 7, packet.length));

        buffer[7 + 239] = 0;
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> DhcpCodec.decode(buffer, 7, packet.length));
        assertEquals(236, e.offset());
    }

    @Test
    void sliceOutsideTheBufferIsACallerError() {
        assertThrows(IndexOutOfBoundsException.class, () -> DhcpCodec.decode(new byte[300], 10, 300));
    }

    @Test
    @DisplayName("every truncation and every single corrupted octet gives a message or MalformedPacketException, nothing else")
    void corruptedPacketsNeverThrowAnythingElse() {
        byte[] valid = TestPackets.request().withRequestedAddress("198.18.0.10").withServerIdentifier("198.18.0.1")
                .withParameterRequestList(1, 3, 6).withHostName("client").withClientId("01:02:00:00:00:00:01").encode();
        for (int length = 0; length <= valid.length; length++) {
            decodeOrReject(Arrays.copyOf(valid, length));
        }
        for (int position = 0; position < valid.length; position++) {
            for (int value : new int[] {0, 1, 2, 3, 52, 127, 128, 254, 255}) {
                byte[] corrupted = valid.clone();
                corrupted[position] = (byte) value;
                decodeOrReject(corrupted);
            }
        }
    }

    private static void decodeOrReject(byte[] packet) {
        try {
            DhcpCodec.decode(packet);
        } catch (MalformedPacketException expected) {
            assertTrue(expected.offset() >= 0 && expected.offset() <= Math.max(packet.length, DhcpCodec.OPTIONS_OFFSET));
        }
    }
}
