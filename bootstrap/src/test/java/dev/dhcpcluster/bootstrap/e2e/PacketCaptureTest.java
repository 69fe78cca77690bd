package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.TestPackets;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketCaptureTest {

    private static final String CLIENT_MAC = "02:00:00:00:00:01";
    private static final Instant TIME = Instant.parse("2026-01-02T03:04:05.123456Z");

    @Test
    void aBroadcastRebindingRequestIsReadWithItsFrameAndDatagram() {
        DhcpMessage rebinding = TestPackets.request().withCiaddr("198.18.0.100").build();
        byte[] pcap = new Pcap(ByteOrder.LITTLE_ENDIAN, false)
                .frame(TIME, CLIENT_MAC, CapturedDhcp.ETHER_BROADCAST, "198.18.0.100", "255.255.255.255", rebinding)
                .bytes();

        List<CapturedDhcp> messages = PacketCapture.parse(pcap);

        assertEquals(1, messages.size());
        CapturedDhcp captured = messages.get(0);
        assertEquals(TIME, captured.time());
        assertEquals(CLIENT_MAC, captured.etherSource());
        assertTrue(captured.isEtherBroadcast());
        assertEquals(Ipv4Address.parse("198.18.0.100"), captured.ipSource());
        assertEquals(Ipv4Address.BROADCAST, captured.ipDestination());
        assertTrue(captured.is(DhcpMessageType.REQUEST));
        assertEquals(Ipv4Address.parse("198.18.0.100"), captured.message().ciaddr());
        assertFalse(captured.isInitReboot());
    }

    @Test
    void aBigEndianCaptureWithNanosecondsIsReadToo() {
        DhcpMessage initReboot = TestPackets.request().withRequestedAddress("198.18.0.100").build();
        byte[] pcap = new Pcap(ByteOrder.BIG_ENDIAN, true)
                .frame(TIME, CLIENT_MAC, CapturedDhcp.ETHER_BROADCAST, "0.0.0.0", "255.255.255.255", initReboot)
                .bytes();

        List<CapturedDhcp> messages = PacketCapture.parse(pcap);

        assertEquals(1, messages.size());
        assertEquals(TIME, messages.get(0).time());
        assertTrue(messages.get(0).isInitReboot());
    }

    @Test
    void aRecordStillBeingWrittenIsLeftForTheNextRead() {
        DhcpMessage discover = TestPackets.discover().build();
        byte[] whole = new Pcap(ByteOrder.LITTLE_ENDIAN, false)
                .frame(TIME, CLIENT_MAC, CapturedDhcp.ETHER_BROADCAST, "0.0.0.0", "255.255.255.255", discover)
                .frame(TIME, CLIENT_MAC, CapturedDhcp.ETHER_BROADCAST, "0.0.0.0", "255.255.255.255", discover)
                .bytes();
        byte[] cut = Arrays.copyOf(whole, whole.length - 10);

        assertEquals(2, PacketCapture.parse(whole).size());
        assertEquals(1, PacketCapture.parse(cut).size());
        assertEquals(List.of(), PacketCapture.parse(new byte[10]));
    }

    @Test
    void aFileThatIsNotACaptureIsRefused() {
        byte[] notPcap = new byte[64];
        notPcap[0] = 'h';

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> PacketCapture.parse(notPcap));
        assertTrue(refused.getMessage().contains("not a pcap file"), refused.getMessage());
    }

    /** Writes a pcap file of Ethernet frames, as tcpdump does, in either byte order. */
    private static final class Pcap {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteOrder order;
        private final boolean nanoseconds;

        Pcap(ByteOrder order, boolean nanoseconds) {
            this.order = order;
            this.nanoseconds = nanoseconds;
            ByteBuffer header = ByteBuffer.allocate(24).order(order);
            header.putInt(nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4)
                    .putInt(0).putInt(0).putInt(262144).putInt(1);
            out.writeBytes(header.array());
        }

        Pcap frame(Instant time, String etherSource, String etherDestination, String ipSource, String ipDestination,
                DhcpMessage message) {
            byte[] dhcp = DhcpCodec.encode(message, DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
            ByteBuffer frame = ByteBuffer.allocate(14 + 20 + 8 + dhcp.length).order(ByteOrder.BIG_ENDIAN);
            frame.put(HexFormat.ofDelimiter(":").parseHex(etherDestination));
            frame.put(HexFormat.ofDelimiter(":").parseHex(etherSource));
            frame.putShort((short) 0x0800);
            frame.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + dhcp.length)).putInt(0)
                    .put((byte) 64).put((byte) 17).putShort((short) 0);
            frame.put(Ipv4Address.parse(ipSource).toBytes()).put(Ipv4Address.parse(ipDestination).toBytes());
            frame.putShort((short) 68).putShort((short) 67).putShort((short) (8 + dhcp.length)).putShort((short) 0);
            frame.put(dhcp);
            ByteBuffer record = ByteBuffer.allocate(16).order(order);
            long fraction = nanoseconds ? time.getNano() : time.getNano() / 1000;
            record.putInt((int) time.getEpochSecond()).putInt((int) fraction)
                    .putInt(frame.capacity()).putInt(frame.capacity());
            out.writeBytes(record.array());
            out.writeBytes(frame.array());
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
