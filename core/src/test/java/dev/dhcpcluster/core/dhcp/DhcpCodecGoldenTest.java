package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Packets captured from real clients (see the .txt beside each .bin) decode to what they say. */
class DhcpCodecGoldenTest {

    static byte[] golden(String name) {
        try (InputStream in = DhcpCodecGoldenTest.class.getResourceAsStream("golden/" + name + ".bin")) {
            assertNotNull(in, "missing golden packet " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int int32At(byte[] raw, int offset) {
        return ((raw[offset] & 0xFF) << 24) | ((raw[offset + 1] & 0xFF) << 16) | ((raw[offset + 2] & 0xFF) << 8) | (raw[offset + 3] & 0xFF);
    }

    @Test
    void dhclientDiscoverDecodesEveryField() throws MalformedPacketException {
        byte[] raw = golden("dhclient-discover");
        DhcpMessage message = DhcpCodec.decode(raw);

        assertEquals(DhcpMessage.BOOTREQUEST, message.op());
        assertEquals(1, message.htype());
        assertEquals(6, message.hlen());
        assertEquals(0, message.hops());
        assertEquals(int32At(raw, 4), message.xid());
        assertEquals(0xef730f11, message.xid());
        assertEquals(0, message.secs());
        assertEquals(0, message.flags());
        assertEquals(Ipv4Address.ZERO, message.ciaddr());
        assertEquals(Ipv4Address.ZERO, message.giaddr());
        assertEquals(HardwareAddress.parseEthernet("02:dc:00:00:00:01"), message.hardwareAddress());
        assertArrayEquals(Arrays.copyOfRange(raw, 28, 44), message.chaddr());
        assertEquals(DhcpMessageType.DISCOVER, message.messageType().orElseThrow());
        assertEquals(List.of(53, 12, 55, 61), message.options().codes());
        assertEquals("dcgold-client", message.options().string(OptionCode.HOST_NAME).orElseThrow());
        assertArrayEquals(new int[] {1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 42}, message.options().parameterRequestList());
        byte[] clientId = HexFormat.of().parseHex("0102dc00000001");
        assertArrayEquals(clientId, message.options().get(OptionCode.CLIENT_IDENTIFIER).orElseThrow());
        assertEquals(Optional.of(ClientKey.ofClientId(clientId)), message.clientKey());
    }

    @Test
    void dhclientRequestCarriesServerIdentifierAndRequestedAddress() throws MalformedPacketException {
        DhcpMessage message = DhcpCodec.decode(golden("dhclient-request"));

        assertEquals(DhcpMessageType.REQUEST, message.messageType().orElseThrow());
        assertEquals(0xef730f11, message.xid());
        assertEquals(List.of(53, 54, 50, 12, 55, 61), message.options().codes());
        assertEquals(Ipv4Address.parse("198.18.250.1"), message.options().address(OptionCode.SERVER_IDENTIFIER).orElseThrow());
        assertEquals(Ipv4Address.parse("198.18.250.10"), message.options().address(OptionCode.REQUESTED_ADDRESS).orElseThrow());
        assertEquals(Ipv4Address.ZERO, message.ciaddr());
    }

    @Test
    void udhcpcDiscoverDecodesEveryField() throws MalformedPacketException {
        byte[] raw = golden("udhcpc-discover");
        DhcpMessage message = DhcpCodec.decode(raw);

        assertEquals(int32At(raw, 4), message.xid());
        assertEquals(0x33025327, message.xid());
        assertEquals(HardwareAddress.parseEthernet("02:dc:00:00:00:02"), message.hardwareAddress());
        assertEquals(DhcpMessageType.DISCOVER, message.messageType().orElseThrow());
        assertEquals(List.of(53, 57, 55, 60, 61), message.options().codes());
        assertEquals(576, message.options().uint16(OptionCode.MAX_MESSAGE_SIZE).orElseThrow());
        assertArrayEquals(new int[] {1, 3, 6, 12, 15, 28, 42}, message.options().parameterRequestList());
        assertEquals("udhcp 1.35.0", message.options().string(OptionCode.VENDOR_CLASS_IDENTIFIER).orElseThrow());
        assertArrayEquals(HexFormat.of().parseHex("0102dc00000002"), message.options().get(OptionCode.CLIENT_IDENTIFIER).orElseThrow());
    }

    @Test
    void udhcpcRequestCarriesServerIdentifierAndRequestedAddress() throws MalformedPacketException {
        DhcpMessage message = DhcpCodec.decode(golden("udhcpc-request"));

        assertEquals(DhcpMessageType.REQUEST, message.messageType().orElseThrow());
        assertEquals(List.of(53, 50, 54, 57, 55, 60, 61), message.options().codes());
        assertEquals(Ipv4Address.parse("198.18.250.10"), message.options().address(OptionCode.REQUESTED_ADDRESS).orElseThrow());
        assertEquals(Ipv4Address.parse("198.18.250.1"), message.options().address(OptionCode.SERVER_IDENTIFIER).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dhclient-discover", "dhclient-request", "udhcpc-discover", "udhcpc-request"})
    @DisplayName("#32 decode then encode reproduces the captured 300-octet packet byte for byte")
    void reencodingReproducesCapturedBytes(String name) throws MalformedPacketException {
        byte[] raw = golden(name);
        byte[] encoded = DhcpCodec.encode(DhcpCodec.decode(raw), DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
        assertArrayEquals(raw, encoded);
    }

    @Test
    @DisplayName("a message built in code equals the one parsed from captured bytes and serializes to them")
    void builtEqualsParsedEqualsSerialized() throws MalformedPacketException {
        byte[] raw = golden("udhcpc-discover");
        DhcpMessage built = TestPackets.discover()
                .withXid(0x33025327)
                .withHardwareAddress("02:dc:00:00:00:02")
                .withMaxMessageSize(576)
                .withParameterRequestList(1, 3, 6, 12, 15, 28, 42)
                .withVendorClass("udhcp 1.35.0")
                .withClientId("01:02:dc:00:00:00:02")
                .build();

        DhcpMessage parsed = DhcpCodec.decode(raw);
        assertEquals(built, parsed);
        assertArrayEquals(raw, DhcpCodec.encode(built, DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH));
        assertTrue(built.toString().contains("DISCOVER"));
    }
}
