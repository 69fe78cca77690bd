package dev.dhcpcluster.adapter.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What one captured frame becomes: a datagram of the link, or a counted drop. */
class CaptureLoopTest {

    private static final byte[] MAC = HexFormat.of().parseHex("02000000bb01");
    private static final byte[] CLIENT_MAC = HexFormat.of().parseHex("02000000aa01");
    private static final Link LINK = new Link("eth1", MAC, Ipv4Address.parse("198.18.1.1"), 24, 1500, false);
    private static final Ipv4Address OTHER_HOST_ADDRESS = Ipv4Address.parse("198.18.9.1");

    private final List<Datagram> delivered = new ArrayList<>();
    private final Counters counters = new Counters();
    private final CaptureLoop loop = new CaptureLoop(null, LINK, Set.of(LINK.address(), OTHER_HOST_ADDRESS),
            delivered::add, counters, () -> true);

    @Test
    void aBroadcastIsDeliveredAsTheLinksWithItsAddress() {
        loop.take(frame(Ipv4Address.ZERO, Ipv4Address.BROADCAST, "DISCOVER"));

        Datagram datagram = delivered.get(0);
        assertArrayEquals(bytes("DISCOVER"), datagram.payload());
        assertEquals(Ipv4Address.ZERO, datagram.source());
        assertEquals(68, datagram.sourcePort());
        assertEquals(Ipv4Address.parse("198.18.1.1"), datagram.localAddress());
        assertEquals(Optional.of("eth1"), datagram.interfaceName());
        assertEquals(1, counters.received.get());
    }

    @Test
    void theSubnetsDirectedBroadcastIsForTheLinksAddressToo() {
        loop.take(frame(Ipv4Address.ZERO, Ipv4Address.parse("198.18.1.255"), "DISCOVER"));

        assertEquals(Ipv4Address.parse("198.18.1.1"), delivered.get(0).localAddress());
    }

    @Test
    void aUnicastToAnotherAddressOfTheHostReportsThatAddress() {
        loop.take(frame(Ipv4Address.parse("198.18.1.50"), OTHER_HOST_ADDRESS, "REQUEST"));

        assertEquals(OTHER_HOST_ADDRESS, delivered.get(0).localAddress());
        assertEquals(Optional.of("eth1"), delivered.get(0).interfaceName());
    }

    @Test
    void aDatagramForAnotherHostIsDroppedAndCounted() {
        loop.take(frame(Ipv4Address.parse("198.18.1.50"), Ipv4Address.parse("198.18.5.5"), "REQUEST"));
        loop.take(frame(Ipv4Address.ZERO, Ipv4Address.parse("198.18.2.255"), "DISCOVER"));

        assertTrue(delivered.isEmpty());
        assertEquals(2, counters.framesDropped.get());
        assertEquals(0, counters.received.get());
    }

    @Test
    void malformedFramesAreDroppedAndCountedAndTheNextIsDelivered() {
        byte[] good = frame(Ipv4Address.ZERO, Ipv4Address.BROADCAST, "DISCOVER");

        loop.take(Arrays.copyOf(good, 20));
        loop.take(new byte[0]);
        loop.take(good);

        assertEquals(2, counters.framesDropped.get());
        assertEquals(1, delivered.size());
    }

    @Test
    void aHandlerThatThrowsIsCountedAndTheNextFrameIsDelivered() {
        List<Datagram> after = new ArrayList<>();
        CaptureLoop throwing = new CaptureLoop(null, LINK, Set.of(), datagram -> {
            if (datagram.payload().length == 4) {
                throw new IllegalStateException("a handler bug, provoked by the test");
            }
            after.add(datagram);
        }, counters, () -> true);

        throwing.take(frame(Ipv4Address.ZERO, Ipv4Address.BROADCAST, "boom"));
        throwing.take(frame(Ipv4Address.ZERO, Ipv4Address.BROADCAST, "after"));

        assertEquals(1, counters.handlerFailures.get());
        assertArrayEquals(bytes("after"), after.get(0).payload());
    }

    private static byte[] frame(Ipv4Address source, Ipv4Address destination, String payload) {
        return FrameCodec.encode(new UdpFrame(UdpFrame.BROADCAST_MAC, CLIENT_MAC, source, destination, 68, 67,
                bytes(payload)), 1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
