package dev.dhcpcluster.bootstrap.relay;

import dev.dhcpcluster.adapter.pcap.PcapDhcpTransport;
import dev.dhcpcluster.adapter.udp.UdpDhcpTransport;
import dev.dhcpcluster.core.relay.RelayInterface;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import java.util.Optional;

/** The client-side transports a relay runs on. */
public final class RelayTransports {

    private RelayTransports() {
    }

    /**
     * The udp transport: one socket on the listen address and port, which hears the clients of
     * the one interface (their broadcasts too when bound to {@code 0.0.0.0}) and the servers'
     * replies to giaddr, and sends both ways. Bound to {@code 0.0.0.0} it takes the interface's
     * address and directed broadcast from the interface; bound to a unicast address (a loopback
     * test) it needs no interface.
     */
    public static DhcpTransport udp(RelayConfig config) {
        RelayInterface face = config.settings().interfaces().get(0);
        RelayConfig.Transport transport = config.transport();
        Optional<String> interfaceName = transport.listenAddress().isZero() ? Optional.of(face.name()) : Optional.empty();
        return new UdpDhcpTransport(transport.listenAddress(), transport.listenPort(), interfaceName);
    }

    /**
     * The pcap transport: a capture on every interface, which hears the clients with the name of
     * their interface and sends them frames (a broadcast, or a frame to the hardware address); and
     * one UDP socket on the listen address and port, which sends to the servers and hands the relay
     * their replies ({@link PcapDhcpTransport#PcapDhcpTransport(java.util.List, dev.dhcpcluster.port.model.Ipv4Address,
     * int, boolean)}).
     */
    public static DhcpTransport pcap(RelayConfig config) {
        RelayConfig.Transport transport = config.transport();
        return new PcapDhcpTransport(config.settings().interfaces().stream().map(RelayInterface::name).toList(),
                transport.listenAddress(), transport.listenPort(), true);
    }

    /** The transport {@code config} names. */
    public static DhcpTransport of(RelayConfig config) {
        return config.transport().type().equals(RelayConfig.PCAP) ? pcap(config) : udp(config);
    }
}
