package dev.dhcpcluster.adapter.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Frames as bytes: what the transport writes, and what it accepts or rejects when reading. */
class FrameCodecTest {

    private static final byte[] CLIENT_MAC = HexFormat.of().parseHex("02000000aa01");
    private static final byte[] SERVER_MAC = HexFormat.of().parseHex("02000000bb01");
    private static final Ipv4Address SERVER = Ipv4Address.parse("198.18.1.1");
    private static final Ipv4Address CLIENT = Ipv4Address.parse("198.18.1.50");
    private static final int IP = FrameCodec.ETHERNET_HEADER;
    private static final int UDP = IP + FrameCodec.IPV4_HEADER;

    @Test
    void encodedFrameCarriesTheHeadersAndChecksumsComputedIndependently() {
        byte[] bytes = FrameCodec.encode(offer(bytes("OFFER")), 0x1234);

        assertEquals(FrameCodec.HEADERS + 5, bytes.length);
        assertEquals("02000000aa01" + "02000000bb01" + "0800", hex(bytes, 0, IP));
        // version/IHL, TOS, total 33, id, DF, TTL 64, UDP, checksum, source, destination
        assertEquals("45" + "00" + "0021" + "1234" + "4000" + "40" + "11" + "9a40" + "c6120101" + "c6120132",
                hex(bytes, IP, FrameCodec.IPV4_HEADER));
        // source port 67, destination port 68, length 13, checksum over the pseudo-header
        assertEquals("0043" + "0044" + "000d" + "8969", hex(bytes, UDP, FrameCodec.UDP_HEADER));
        assertEquals("OFFER", new String(bytes, UDP + 8, 5, StandardCharsets.US_ASCII));
    }

    @Test
    void checksumsOfAnEncodedFrameVerifyAsTheReceiverChecksThem() {
        byte[] payload = new byte[301]; // odd length: the checksum pads the last byte
        Arrays.fill(payload, (byte) 0xA5);
        byte[] bytes = FrameCodec.encode(offer(payload), 7);

        assertEquals(0, Checksum.of(bytes, IP, FrameCodec.IPV4_HEADER), "IPv4 header sums to zero");
        assertEquals(0, FrameCodec.udpChecksum(bytes, IP, UDP, FrameCodec.UDP_HEADER + payload.length),
                "UDP datagram with pseudo-header sums to zero");
    }

    @Test
    void decodingAnEncodedFrameGivesItBack() {
        UdpFrame frame = offer(bytes("ACK payload"));

        Decoded decoded = FrameCodec.decode(FrameCodec.encode(frame, 1));

        UdpFrame back = assertInstanceOf(DecodedDatagram.class, decoded).frame();
        assertArrayEquals(CLIENT_MAC, back.destinationMac());
        assertArrayEquals(SERVER_MAC, back.sourceMac());
        assertEquals(SERVER, back.source());
        assertEquals(CLIENT, back.destination());
        assertEquals(67, back.sourcePort());
        assertEquals(68, back.destinationPort());
        assertArrayEquals(bytes("ACK payload"), back.payload());
    }

    @Test
    void ethernetPaddingAfterTheDatagramIsIgnored() {
        byte[] bytes = FrameCodec.encode(offer(bytes("x")), 1);
        byte[] padded = Arrays.copyOf(bytes, 60); // minimum Ethernet frame, zero-padded

        UdpFrame back = assertInstanceOf(DecodedDatagram.class, FrameCodec.decode(padded)).frame();
        assertArrayEquals(bytes("x"), back.payload());
    }

    @Test
    void aFrameWithAWrongIpv4HeaderChecksumIsRejected() {
        byte[] bytes = FrameCodec.encode(offer(bytes("x")), 1);
        bytes[IP + 11] ^= 0x01;

        assertRejected(bytes, "checksum");
    }

    @Test
    void aTruncatedFrameIsRejected() {
        byte[] bytes = FrameCodec.encode(offer(bytes("a longer payload")), 1);

        assertRejected(Arrays.copyOf(bytes, 10), "Ethernet header");
        assertRejected(Arrays.copyOf(bytes, IP + 12), "truncated IPv4 header");
        assertRejected(Arrays.copyOf(bytes, bytes.length - 3), "total length");
    }

    @Test
    void fragmentsAreRejected() {
        assertRejected(withFragmentField(0x2000), "fragment"); // first fragment: more fragments follow
        assertRejected(withFragmentField(0x0010), "fragment"); // a later fragment, at offset 128
    }

    @Test
    void aUdpLengthBeyondTheIpDatagramIsRejected() {
        byte[] bytes = FrameCodec.encode(offer(bytes("payload")), 1);
        bytes[UDP + 5] = (byte) (bytes[UDP + 5] + 1);

        assertRejected(bytes, "UDP length");
    }

    @Test
    void aUdpLengthShorterThanItsHeaderIsRejected() {
        byte[] bytes = FrameCodec.encode(offer(bytes("payload")), 1);
        bytes[UDP + 4] = 0;
        bytes[UDP + 5] = 7;

        assertRejected(bytes, "UDP length");
    }

    @Test
    void aUdpLengthShorterThanTheIpPayloadTrimsThePayload() {
        byte[] bytes = FrameCodec.encode(offer(bytes("payload")), 1);
        bytes[UDP + 5] = (byte) (FrameCodec.UDP_HEADER + 3);

        UdpFrame back = assertInstanceOf(DecodedDatagram.class, FrameCodec.decode(bytes)).frame();
        assertArrayEquals(bytes("pay"), back.payload());
    }

    @Test
    void otherProtocolsAndEtherTypesAreRejected() {
        byte[] arp = FrameCodec.encode(offer(bytes("x")), 1);
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertRejected(arp, "not IPv4");

        byte[] tcp = FrameCodec.encode(offer(bytes("x")), 1);
        tcp[IP + 9] = 6;
        fixIpChecksum(tcp);
        assertRejected(tcp, "not UDP");
    }

    @Test
    void aHeaderLengthBelowTheMinimumIsRejected() {
        byte[] bytes = FrameCodec.encode(offer(bytes("x")), 1);
        bytes[IP] = 0x44;

        assertRejected(bytes, "header length");
    }

    @Test
    void aPayloadTooLargeForIpv4IsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FrameCodec.encode(offer(new byte[65_508]), 1));
    }

    private static byte[] withFragmentField(int value) {
        byte[] bytes = FrameCodec.encode(offer(bytes("x")), 1);
        bytes[IP + 6] = (byte) (value >>> 8);
        bytes[IP + 7] = (byte) value;
        fixIpChecksum(bytes);
        return bytes;
    }

    private static void fixIpChecksum(byte[] bytes) {
        bytes[IP + 10] = 0;
        bytes[IP + 11] = 0;
        int checksum = Checksum.of(bytes, IP, FrameCodec.IPV4_HEADER);
        bytes[IP + 10] = (byte) (checksum >>> 8);
        bytes[IP + 11] = (byte) checksum;
    }

    private static void assertRejected(byte[] bytes, String reasonPart) {
        RejectedFrame rejected = assertInstanceOf(RejectedFrame.class, FrameCodec.decode(bytes));
        assertTrue(rejected.reason().contains(reasonPart), rejected.reason());
    }

    private static String hex(byte[] bytes, int from, int length) {
        return HexFormat.of().formatHex(bytes, from, from + length);
    }

    private static UdpFrame offer(byte[] payload) {
        return new UdpFrame(CLIENT_MAC, SERVER_MAC, SERVER, CLIENT, 67, 68, payload);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
