package dev.dhcpcluster.adapter.udp;

import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.contract.DhcpTransportContract;
import dev.dhcpcluster.testkit.contract.UdpLoopbackWire;
import java.io.IOException;
import java.util.Optional;

/** The generic {@link DhcpTransport} contract, with the transport on a loopback address and port. */
class UdpDhcpTransportContractTest extends DhcpTransportContract<UdpLoopbackWire> {

    @Override
    protected UdpLoopbackWire newWire() throws IOException {
        return new UdpLoopbackWire(Ipv4Address.parse("127.0.0.11"), Ipv4Address.parse("127.0.0.12"));
    }

    @Override
    protected DhcpTransport newTransport(UdpLoopbackWire wire) {
        return new UdpDhcpTransport(wire.serverAddress(), wire.serverPort(), Optional.empty());
    }
}
