package dev.dhcpcluster.adapter.udp;

import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Optional;

/**
 * The body of a transport's receive thread: reads datagrams until the channel is closed and hands
 * each to the handler. One read buffer serves every read; each payload is copied into an array of
 * its own, because the handler may keep the datagram after it returns.
 */
final class ReceiveLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger(UdpDhcpTransport.class.getName());

    /** Larger than any UDP payload, so that no datagram is ever truncated. */
    private static final int BUFFER_SIZE = 65_536;

    private final DatagramChannel channel;
    private final DhcpHandler handler;
    private final Ipv4Address localAddress;
    private final Optional<String> interfaceName;
    private final Counters counters;

    ReceiveLoop(DatagramChannel channel, DhcpHandler handler, Ipv4Address localAddress,
            Optional<String> interfaceName, Counters counters) {
        this.channel = channel;
        this.handler = handler;
        this.localAddress = localAddress;
        this.interfaceName = interfaceName;
        this.counters = counters;
    }

    @Override
    public void run() {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
        while (channel.isOpen()) {
            buffer.clear();
            InetSocketAddress sender;
            try {
                sender = (InetSocketAddress) channel.receive(buffer);
            } catch (ClosedChannelException closed) {
                return; // close() closed the channel: the normal way out
            } catch (IOException e) {
                long errors = counters.receiveErrors.incrementAndGet();
                if (Counters.worthLogging(errors)) {
                    LOG.log(System.Logger.Level.WARNING, "receive failed on " + localAddress + " (" + errors + " so far)", e);
                }
                continue;
            }
            buffer.flip();
            byte[] payload = new byte[buffer.remaining()];
            buffer.get(payload);
            counters.received.incrementAndGet();
            deliver(new Datagram(payload, Ipv4Address.fromBytes(sender.getAddress().getAddress()), sender.getPort(),
                    localAddress, interfaceName));
        }
    }

    private void deliver(Datagram datagram) {
        try {
            handler.handle(datagram);
        } catch (RuntimeException e) {
            // The handler's contract forbids this; receiving must go on regardless.
            long failures = counters.handlerFailures.incrementAndGet();
            if (Counters.worthLogging(failures)) {
                LOG.log(System.Logger.Level.ERROR, "the DHCP handler threw on a datagram from " + datagram.source() + ":"
                        + datagram.sourcePort() + " (" + failures + " so far)", e);
            }
        }
    }
}
