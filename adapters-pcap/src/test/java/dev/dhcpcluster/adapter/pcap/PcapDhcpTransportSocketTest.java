package dev.dhcpcluster.adapter.pcap;

import dev.dhcpcluster.adapter.pcap.RawNetworkPrerequisites.NeedsRawNetwork;
import dev.dhcpcluster.port.dhcp.AbstractUdpDhcpTransportTest;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.List;

/**
 * What a transport with a UDP port must do, for the pcap transport capturing on the loopback
 * interface (which Linux presents as an Ethernet link) with its routed socket bound to the test's
 * server address: the sender's address, the port, answers from that port, the port released on close.
 */
@NeedsRawNetwork
class PcapDhcpTransportSocketTest extends AbstractUdpDhcpTransportTest {

    @Override
    protected DhcpTransport newTransport(Ipv4Address bindAddress, int port) {
        return new PcapDhcpTransport(List.of("lo"), bindAddress, port);
    }
}
