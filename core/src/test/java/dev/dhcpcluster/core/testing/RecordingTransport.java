package dev.dhcpcluster.core.testing;

import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A {@link DhcpTransport} that sends nothing anywhere and remembers every reply it was given. Thread-safe. */
public final class RecordingTransport implements DhcpTransport {

    /** One reply handed to {@link #send}, with the interface it was to leave by. */
    public record Sent(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
        public Sent {
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(delivery, "delivery");
            Objects.requireNonNull(interfaceName, "interfaceName");
        }
    }

    private final List<Sent> sent = new ArrayList<>();
    private DhcpHandler handler;
    private boolean closed;

    @Override
    public synchronized void start(DhcpHandler handler) {
        if (this.handler != null) {
            throw new IllegalStateException("started twice");
        }
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    public synchronized void send(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
        sent.add(new Sent(payload.clone(), delivery, interfaceName));
    }

    /** The port DHCP servers listen on; nothing is bound. */
    @Override
    public synchronized java.util.OptionalInt localPort() {
        if (handler == null) {
            throw new IllegalStateException("not started");
        }
        return java.util.OptionalInt.of(67);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    /** Every reply sent so far, oldest first. */
    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** The most recent reply. */
    public synchronized Sent last() {
        if (sent.isEmpty()) {
            throw new AssertionError("nothing was sent");
        }
        return sent.get(sent.size() - 1);
    }

    /** Forgets what was sent so far. */
    public synchronized void clear() {
        sent.clear();
    }

    /** The handler given to {@link #start}, or null. */
    public synchronized DhcpHandler handler() {
        return handler;
    }

    public synchronized boolean isClosed() {
        return closed;
    }
}
