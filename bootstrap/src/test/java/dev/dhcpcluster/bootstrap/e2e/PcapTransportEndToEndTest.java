package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A node whose transport is {@code pcap} serves a real client on its link: udhcpc asks without the
 * broadcast flag, so the node's OFFER and ACK go as frames to the client's hardware address and
 * its new address, which only a raw-frame transport can send.
 */
@EndToEnd(requires = "udhcpc")
class PcapTransportEndToEndTest {

    private static final Duration LEASE_WAIT = Duration.ofSeconds(45);
    private static final NodeConfigFile.Subnet LAN = new NodeConfigFile.Subnet(
            1, "198.18.0.0/24", "198.18.0.100", "198.18.0.199", "198.18.0.1", List.of());

    @Test
    @DisplayName("#12 a client without the broadcast flag is bound through replies to its hardware address")
    void aClientIsBoundThroughThePcapTransport() {
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost nodeHost = lab.addHost("node", "198.18.0.1/24");
            LabHost clientHost = lab.addHost("client");
            NodeProcess node = NodeProcess.start(lab, nodeHost, "node",
                    NodeConfigFile.servingInterface(nodeHost.interfaceName()).withPcapTransport().withSubnet(LAN));
            assertTrue(node.output().contains("on pcap 0.0.0.0:67 (interfaces " + nodeHost.interfaceName() + ")"),
                    node::describe);

            Udhcpc client = new Udhcpc(lab, clientHost, "udhcpc");
            client.start();
            LeaseEvent bound = client.await("to be bound", 0, event -> event.is("bound"), LEASE_WAIT);

            assertTrue(LAN.poolContains(bound.address()), () -> "address outside the pool: " + bound);
            assertEquals(List.of("198.18.0.1"), bound.routerList());
            assertEquals(List.of(bound.address() + "/24"), clientHost.ipv4Addresses());
        }
    }
}
