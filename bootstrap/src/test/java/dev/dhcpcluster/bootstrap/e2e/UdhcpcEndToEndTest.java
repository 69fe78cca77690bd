package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Busybox udhcpc, directly attached to a node's interface: it gets a lease with the configured
 * options, renews it when told to (SIGUSR1), and releases it (SIGUSR2).
 */
@EndToEnd(requires = "udhcpc")
class UdhcpcEndToEndTest {

    private static final Duration LEASE_WAIT = Duration.ofSeconds(45);
    private static final String DNS = "198.18.0.53";
    private static final String DOMAIN = "e2e.test";
    private static final NodeConfigFile.Subnet LAN = new NodeConfigFile.Subnet(
            1, "198.18.0.0/24", "198.18.0.100", "198.18.0.199", "198.18.0.1", List.of());
    private static final NodeConfigFile.Subnet ONE_ADDRESS_LAN = new NodeConfigFile.Subnet(
            1, "198.18.0.0/24", "198.18.0.100", "198.18.0.100", "198.18.0.1", List.of());

    @Test
    void udhcpcIsBoundToAnAddressFromThePoolWithTheConfiguredOptions() {
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost nodeHost = lab.addHost("node", "198.18.0.1/24");
            LabHost clientHost = lab.addHost("client");
            NodeProcess.start(lab, nodeHost, "node", config(nodeHost, LAN));

            Udhcpc udhcpc = Udhcpc.on(lab, clientHost, "udhcpc");
            udhcpc.start();
            LeaseEvent bound = udhcpc.await("to be bound", 0, e -> e.is("bound"), LEASE_WAIT);

            assertTrue(LAN.poolContains(bound.address()), () -> "address outside the pool: " + bound);
            assertEquals("255.255.255.0", bound.mask());
            assertEquals(List.of("198.18.0.1"), bound.routerList());
            assertEquals(List.of(DNS), bound.dnsList());
            assertEquals(DOMAIN, bound.domain());
            assertEquals(List.of(bound.address() + "/24"), clientHost.ipv4Addresses());
        }
    }

    @Test
    void udhcpcRenewsItsLeaseOnRequestAndKeepsTheAddress() {
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost nodeHost = lab.addHost("node", "198.18.0.1/24");
            LabHost clientHost = lab.addHost("client");
            NodeProcess.start(lab, nodeHost, "node", config(nodeHost, LAN));
            Udhcpc udhcpc = Udhcpc.on(lab, clientHost, "udhcpc");
            udhcpc.start();
            LeaseEvent bound = udhcpc.await("to be bound", 0, e -> e.is("bound"), LEASE_WAIT);
            int afterBound = udhcpc.script().events().size();

            udhcpc.renew();
            LeaseEvent renewed = udhcpc.await("to renew", afterBound,
                    e -> e.is("renew") || e.is("bound") || e.is("deconfig") || e.is("nak"), LEASE_WAIT);

            assertEquals("renew", renewed.reason(), () -> "expected a renewal, got " + renewed);
            assertEquals(bound.address(), renewed.address());
            assertEquals(List.of(bound.address() + "/24"), clientHost.ipv4Addresses());
        }
    }

    @Test
    void anAddressReleasedByUdhcpcIsLeasedToTheNextClient() {
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost nodeHost = lab.addHost("node", "198.18.0.1/24");
            LabHost firstHost = lab.addHost("first");
            LabHost secondHost = lab.addHost("second");
            // One address and an hour-long lease: the second client can only get it if the release freed it.
            NodeProcess node = NodeProcess.start(lab, nodeHost, "node", config(nodeHost, ONE_ADDRESS_LAN));
            Udhcpc first = Udhcpc.on(lab, firstHost, "first");
            first.start();
            LeaseEvent bound = first.await("to be bound", 0, e -> e.is("bound"),
                    LEASE_WAIT);
            assertEquals("198.18.0.100", bound.address());
            int afterBound = first.script().events().size();

            first.release();
            first.await("to deconfigure", afterBound, e -> e.is("deconfig"),
                    LEASE_WAIT);
            first.process().awaitOutput(Pattern.compile("entering released state"), LEASE_WAIT);
            assertEquals(List.of(), firstHost.ipv4Addresses());

            Udhcpc second = Udhcpc.on(lab, secondHost, "second");
            second.start();
            LeaseEvent next = second.await("to be bound", 0, e -> e.is("bound"),
                    LEASE_WAIT);
            assertEquals("198.18.0.100", next.address(), node::describe);
        }
    }

    private static NodeConfigFile config(LabHost nodeHost, NodeConfigFile.Subnet subnet) {
        return NodeConfigFile.servingInterface(nodeHost.interfaceName())
                .withOption("domain-name-servers", DNS)
                .withOption("domain-name", DOMAIN)
                .withSubnet(subnet);
    }
}
