package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One node serves two links through the {@code pcap} transport, one subnet per link, each subnet
 * naming its link's interface: the node's namespace has {@code eth0} (198.18.1.1/24) on one bridge
 * and {@code eth1} (198.18.2.1/24) on another. A real client on each link, udhcpc on the first and
 * dhclient on the second, must be given an address of its own link's subnet, that subnet's router,
 * and the node's address on that link as server identifier: the subnet is chosen by the interface
 * the request came in on, which nothing in the request itself says.
 */
@EndToEnd(requires = {"udhcpc", "dhclient"})
class TwoLinkPcapEndToEndTest {

    private static final Duration LEASE_WAIT = Duration.ofSeconds(45);
    private static final String NODE_ON_LINK_1 = "198.18.1.1";
    private static final String NODE_ON_LINK_2 = "198.18.2.1";
    /** The routers differ from the node's addresses, so a router option can only come from its subnet. */
    private static final NodeConfigFile.Subnet LINK_1 = new NodeConfigFile.Subnet(
            1, "198.18.1.0/24", "198.18.1.100", "198.18.1.199", "198.18.1.254", List.of(), "eth0");
    private static final NodeConfigFile.Subnet LINK_2 = new NodeConfigFile.Subnet(
            2, "198.18.2.0/24", "198.18.2.100", "198.18.2.199", "198.18.2.254", List.of(), "eth1");

    @Test
    @DisplayName("#15 one node on two links gives each client an address, router and server identifier of the link it asked on")
    void eachLinkIsServedFromItsOwnSubnet() {
        try (NetworkLab lab = NetworkLab.create()) {
            String secondLink = lab.addSwitch();
            LabHost nodeOnLink1 = lab.addHost("node", NODE_ON_LINK_1 + "/24");
            LabHost nodeOnLink2 = lab.plug(nodeOnLink1, secondLink, "eth1", NODE_ON_LINK_2 + "/24");
            LabHost clientOnLink1 = lab.addHost("client1");
            LabHost clientOnLink2 = lab.addHostOnSwitch(secondLink, "client2");

            NodeProcess node = NodeProcess.start(lab, nodeOnLink1, "node",
                    NodeConfigFile.servingInterface(nodeOnLink1.interfaceName())
                            .withPcapTransport(nodeOnLink1.interfaceName(), nodeOnLink2.interfaceName())
                            .withSubnet(LINK_1)
                            .withSubnet(LINK_2));
            assertTrue(node.output().contains("on pcap 0.0.0.0:67 (interfaces eth0, eth1)"), node::describe);

            Udhcpc udhcpc = new Udhcpc(lab, clientOnLink1, "udhcpc");
            Dhclient dhclient = new Dhclient(lab, clientOnLink2, "dhclient");
            udhcpc.start();
            dhclient.start();
            LeaseEvent onLink1 = udhcpc.await("to be bound", 0, event -> event.is("bound"), LEASE_WAIT);
            LeaseEvent onLink2 = dhclient.await("to be bound", 0, event -> event.is("BOUND"), LEASE_WAIT);

            assertTrue(LINK_1.poolContains(onLink1.address()), () -> "link 1 client outside its pool: " + onLink1
                    + System.lineSeparator() + lab.describeProcesses());
            assertEquals(List.of(LINK_1.router()), onLink1.routerList(), onLink1::toString);
            assertEquals(NODE_ON_LINK_1, onLink1.serverId(), onLink1::toString);
            assertEquals(List.of(onLink1.address() + "/24"), clientOnLink1.ipv4Addresses());

            assertTrue(LINK_2.poolContains(onLink2.address()), () -> "link 2 client outside its pool: " + onLink2
                    + System.lineSeparator() + lab.describeProcesses());
            assertEquals(List.of(LINK_2.router()), onLink2.routerList(), onLink2::toString);
            assertEquals(NODE_ON_LINK_2, onLink2.serverId(), onLink2::toString);
            assertEquals(List.of(onLink2.address() + "/24"), clientOnLink2.ipv4Addresses());
        }
    }
}
