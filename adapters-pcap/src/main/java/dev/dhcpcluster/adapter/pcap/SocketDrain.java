package dev.dhcpcluster.adapter.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * Reads and discards what the transport's UDP socket receives. The socket exists so that the
 * kernel, finding it bound, does not answer unicast requests with ICMP "port unreachable"; the
 * requests themselves are taken from the capture, which knows their interface.
 */
final class SocketDrain implements Runnable {

    private static final System.Logger LOG = System.getLogger(PcapDhcpTransport.class.getName());

    private final DatagramChannel channel;

    SocketDrain(DatagramChannel channel) {
        this.channel = channel;
    }

    @Override
    public void run() {
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        while (channel.isOpen()) {
            buffer.clear();
            try {
                channel.receive(buffer);
            } catch (ClosedChannelException closed) {
                return; // close() closed the socket: the normal way out
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "discarding read on the UDP socket failed: {0}", e.getMessage());
            }
        }
    }
}
