package dev.dhcpcluster.port.dhcp;

import dev.dhcpcluster.port.model.Datagram;

/**
 * Inbound port: receives the DHCP datagrams a {@link DhcpTransport} reads off the network.
 *
 * <p>Implemented by the application (the server policy). A transport calls {@link #handle} once
 * per received datagram, from its own receive thread, and must keep receiving whatever the
 * handler does; an implementation that is not thread-safe is wrapped by the runtime so that calls
 * reach it on one thread.
 *
 * <p>The handler answers, if at all, through {@link DhcpTransport#send}, possibly later (after the
 * lease is durable), never by a return value.
 */
@FunctionalInterface
public interface DhcpHandler {

    /**
     * Takes one datagram. Must not throw for bad input: a malformed packet is dropped and counted
     * by the handler. An exception that escapes is a bug; the transport logs it and goes on.
     */
    void handle(Datagram datagram);
}
