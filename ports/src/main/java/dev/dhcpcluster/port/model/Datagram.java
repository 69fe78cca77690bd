package dev.dhcpcluster.port.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One received UDP payload and where it came from.
 *
 * <p>The payload array belongs to the datagram once constructed: the transport must not reuse it,
 * and the receiver must not modify it.
 *
 * @param payload the UDP payload, exactly as received
 * @param source the sender's IP address
 * @param sourcePort the sender's UDP port
 * @param localAddress the server's own address on the receiving interface (the address the
 *     transport is bound to, or the interface's first IPv4 address); used as server identifier
 * @param interfaceName the name of the receiving interface, if the transport knows it
 */
public record Datagram(
        byte[] payload,
        Ipv4Address source,
        int sourcePort,
        Ipv4Address localAddress,
        Optional<String> interfaceName) {

    public Datagram {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (sourcePort < 0 || sourcePort > 65535) {
            throw new IllegalArgumentException("a UDP port is 0-65535, not " + sourcePort);
        }
    }
}
