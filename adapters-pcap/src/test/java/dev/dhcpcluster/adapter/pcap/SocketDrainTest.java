package dev.dhcpcluster.adapter.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The UDP socket's reader, on loopback without capture (no privilege needed). */
class SocketDrainTest {

    @Test
    @DisplayName("a relay's drain hands on each BOOTREPLY with its sender and no interface, and discards the rest")
    void handsOnReplies() throws Exception {
        BlockingQueue<Datagram> handed = new LinkedBlockingQueue<>();
        Ipv4Address local = Ipv4Address.parse("127.0.0.1");
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
                DatagramSocket server = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread thread = new Thread(new SocketDrain(channel, Optional.of(handed::add), local, new Counters()));
            thread.start();
            InetSocketAddress to = (InetSocketAddress) channel.getLocalAddress();
            byte[] request = {1, 1, 6, 0, 9};
            byte[] reply = {2, 1, 6, 0, 9, 9};
            server.send(new DatagramPacket(request, request.length, to));
            server.send(new DatagramPacket(reply, reply.length, to));

            Datagram first = handed.poll(10, TimeUnit.SECONDS);
            assertArrayEquals(reply, first.payload(), "the request is discarded, the reply handed on");
            assertEquals(local, first.source());
            assertEquals(server.getLocalPort(), first.sourcePort());
            assertEquals(Optional.empty(), first.interfaceName());
            channel.close();
            thread.join(10_000);
            assertNull(handed.poll(), "nothing else");
        }
    }
}
