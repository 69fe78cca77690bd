package dev.dhcpcluster.bootstrap.relay;

import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Delivery;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A transport for the relay's tests: it keeps the handler it is started with, so that a test can
 * hand it datagrams as if they had arrived, and records what it is asked to send.
 */
final class RecordingTransport implements DhcpTransport {

    /** One datagram the transport was asked to send. */
    record Sent(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
    }

    volatile DhcpHandler handler;
    volatile boolean closed;
    final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public void start(DhcpHandler handler) {
        this.handler = handler;
    }

    @Override
    public void send(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
        sent.add(new Sent(payload, delivery, interfaceName));
    }

    @Override
    public void close() {
        closed = true;
    }
}
