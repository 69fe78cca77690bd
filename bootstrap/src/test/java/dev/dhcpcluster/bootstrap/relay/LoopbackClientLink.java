package dev.dhcpcluster.bootstrap.relay;

import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The relay's real UDP transport on loopback, where the client's link is one socket: loopback has
 * no broadcast and no hardware addresses, so what the relay sends a client as a broadcast or a
 * frame to its hardware address goes to the client's socket address instead, on the same port.
 * Everything else (what goes to the servers, unicasts) is sent as the relay asked.
 */
final class LoopbackClientLink implements DhcpTransport {

    private final DhcpTransport transport;
    private final Ipv4Address client;

    LoopbackClientLink(DhcpTransport transport, Ipv4Address client) {
        this.transport = transport;
        this.client = client;
    }

    @Override
    public void start(DhcpHandler handler) throws IOException {
        transport.start(handler);
    }

    @Override
    public void send(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
        Delivery onLoopback = delivery instanceof Delivery.Unicast ? delivery : new Delivery.Unicast(client, delivery.port());
        transport.send(payload, onLoopback, interfaceName);
    }

    @Override
    public OptionalInt localPort() {
        return transport.localPort();
    }

    @Override
    public String describe() {
        return transport.describe();
    }

    @Override
    public void close() {
        transport.close();
    }
}
