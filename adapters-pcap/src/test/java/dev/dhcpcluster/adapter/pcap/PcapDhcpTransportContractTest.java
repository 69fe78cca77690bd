package dev.dhcpcluster.adapter.pcap;

import dev.dhcpcluster.adapter.pcap.RawNetworkPrerequisites.NeedsRawNetwork;
import dev.dhcpcluster.port.dhcp.AbstractDhcpTransportTest;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.List;

/**
 * The {@link DhcpTransport} contract, with the transport capturing on the loopback interface,
 * which Linux presents as an Ethernet link, and its routed socket bound to the contract's server
 * address.
 */
@NeedsRawNetwork
class PcapDhcpTransportContractTest extends AbstractDhcpTransportTest {

    @Override
    protected DhcpTransport newTransport(Ipv4Address bindAddress, int port) {
        return new PcapDhcpTransport(List.of("lo"), bindAddress, port);
    }
}
