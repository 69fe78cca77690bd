package dev.dhcpcluster.adapter.pcap;

import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads what the transport's UDP socket receives. The socket exists so that the kernel, finding it
 * bound, does not answer unicast requests with ICMP "port unreachable"; the requests themselves are
 * taken from the capture, which knows their interface, so the drain discards them. With a
 * {@code replies} handler (a relay's transport) it hands that handler every BOOTREPLY instead:
 * servers answer a relay by unicast to its giaddr, which the kernel delivers to this socket whatever
 * interface it arrives by, often one the transport does not capture.
 */
final class SocketDrain implements Runnable {

    private static final System.Logger LOG = System.getLogger(PcapDhcpTransport.class.getName());
    private static final int BOOTREPLY = 2;

    private final DatagramChannel channel;
    private final Optional<DhcpHandler> replies;
    private final Ipv4Address localAddress;
    private final Counters counters;

    SocketDrain(DatagramChannel channel) {
        this(channel, Optional.empty(), Ipv4Address.ZERO, new Counters());
    }

    /**
     * @param replies the handler of the BOOTREPLYs received, if they are not discarded
     * @param localAddress the address the socket is bound to, reported as each reply's local address
     * @param counters where a handler's failure is counted
     */
    SocketDrain(DatagramChannel channel, Optional<DhcpHandler> replies, Ipv4Address localAddress, Counters counters) {
        this.channel = channel;
        this.replies = replies;
        this.localAddress = localAddress;
        this.counters = counters;
    }

    @Override
    public void run() {
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        while (channel.isOpen()) {
            buffer.clear();
            InetSocketAddress source;
            try {
                source = (InetSocketAddress) channel.receive(buffer);
            } catch (ClosedChannelException closed) {
                return; // close() closed the socket: the normal way out
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "reading the UDP socket failed: {0}", e.getMessage());
                continue;
            }
            buffer.flip();
            if (replies.isPresent() && source != null && buffer.remaining() > 0 && (buffer.get(0) & 0xff) == BOOTREPLY
                    && source.getAddress().getAddress().length == 4) {
                hand(replies.get(), Arrays.copyOf(buffer.array(), buffer.remaining()), source);
            }
        }
    }

    private void hand(DhcpHandler handler, byte[] payload, InetSocketAddress source) {
        Datagram datagram = new Datagram(payload, Ipv4Address.fromBytes(source.getAddress().getAddress()), source.getPort(),
                localAddress, Optional.empty());
        counters.received.incrementAndGet();
        try {
            handler.handle(datagram);
        } catch (RuntimeException e) {
            counters.handlerFailures.incrementAndGet();
            LOG.log(System.Logger.Level.ERROR, "the handler failed on a reply from " + source, e);
        }
    }
}
