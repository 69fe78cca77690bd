package dev.dhcpcluster.adapter.pcap;

import dev.dhcpcluster.adapter.pcap.RawNetworkPrerequisites.NeedsRawNetwork;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.contract.DhcpTransportContract;
import dev.dhcpcluster.testkit.contract.UdpLoopbackWire;
import java.io.IOException;
import java.util.List;

/**
 * The generic {@link DhcpTransport} contract, with the transport capturing on the loopback
 * interface, which Linux presents as an Ethernet link, and its routed socket bound to the wire's
 * server address.
 */
@NeedsRawNetwork
class PcapDhcpTransportContractTest extends DhcpTransportContract<UdpLoopbackWire> {

    @Override
    protected UdpLoopbackWire newWire() throws IOException {
        return new UdpLoopbackWire(Ipv4Address.parse("127.0.0.11"), Ipv4Address.parse("127.0.0.12"));
    }

    @Override
    protected DhcpTransport newTransport(UdpLoopbackWire wire) {
        return new PcapDhcpTransport(List.of("lo"), wire.serverAddress(), wire.serverPort());
    }
}
