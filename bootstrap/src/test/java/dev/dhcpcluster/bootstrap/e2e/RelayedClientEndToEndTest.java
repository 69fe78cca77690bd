package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The relayed path: dhcpcluster's own load-generating client acts as a relay agent on another
 * subnet (its address is the giaddr), which the node reaches through a route. Every lease it gets
 * comes from the subnet behind that relay; the client itself fails (non-zero exit) on a duplicate
 * address, an unexpected NAK, a missing lease or an address outside the expected subnet.
 */
@EndToEnd
class RelayedClientEndToEndTest {

    private static final Duration CLIENT_RUN = Duration.ofSeconds(90);
    private static final String RELAY_ADDRESS = "198.18.1.1";
    private static final NodeConfigFile.Subnet LAN = new NodeConfigFile.Subnet(
            1, "198.18.0.0/24", "198.18.0.100", "198.18.0.199", "198.18.0.1", List.of());
    /** 100 addresses behind the relay. */
    private static final NodeConfigFile.Subnet RELAYED = new NodeConfigFile.Subnet(
            2, "198.18.1.0/24", "198.18.1.100", "198.18.1.199", RELAY_ADDRESS, List.of());
    private static final int POOL_SIZE = 100;

    @Test
    void clientsBehindARelayLeaseRenewAndReleaseDistinctAddressesFromTheRelayedSubnet() {
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost relay = relayedSetup(lab);

            LabProcess client = startClient(lab, relay, "client", 60, 1, "--renew");

            assertEquals(0, client.awaitExit(CLIENT_RUN), client::describe);
            assertTrue(client.output().contains("leases: 60 of 60 obtained, 60 unique addresses"), client::describe);
        }
    }

    @Test
    void addressesReleasedThroughTheRelayAreLeasedToNewClients() {
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost relay = relayedSetup(lab);
            // The first clients hold the whole pool at once, and release it at the end.
            LabProcess first = startClient(lab, relay, "first", POOL_SIZE, 1);
            assertEquals(0, first.awaitExit(CLIENT_RUN), first::describe);

            // Other hardware addresses: they can only be served from what the first clients released.
            LabProcess second = startClient(lab, relay, "second", POOL_SIZE, 100_001);

            assertEquals(0, second.awaitExit(CLIENT_RUN), second::describe);
        }
    }

    /**
     * Starts a node on 198.18.0.1 with a route to 198.18.1.0/24 through the relay host 198.18.0.2,
     * which also owns the giaddr 198.18.1.1, and returns the relay host.
     */
    private static LabHost relayedSetup(NetworkLab lab) {
        LabHost nodeHost = lab.addHost("node", "198.18.0.1/24");
        LabHost relayHost = lab.addHost("relay", "198.18.0.2/24", RELAY_ADDRESS + "/24");
        nodeHost.addRoute(RELAYED.cidr(), "198.18.0.2");
        NodeProcess.start(lab, nodeHost, "node", NodeConfigFile.servingInterface(nodeHost.interfaceName())
                .withSubnet(LAN)
                .withSubnet(RELAYED));
        return relayHost;
    }

    /** Starts dhcpcluster's client on the relay host, relaying from the giaddr; it releases its leases at the end. */
    private static LabProcess startClient(NetworkLab lab, LabHost relayHost, String name, int count, long firstMac,
            String... extra) {
        List<String> arguments = new ArrayList<>(List.of("client", "--server", "198.18.0.1", "--server-port", "67",
                "--bind", RELAY_ADDRESS, "--port", "67", "--count", Integer.toString(count), "--concurrency", "16",
                "--first-mac", Long.toString(firstMac), "--release", "--expect-subnet", RELAYED.cidr()));
        arguments.addAll(List.of(extra));
        return lab.start(name, relayHost,
                JavaCommand.of(List.of("-Xmx256m"), "dev.dhcpcluster.bootstrap.Main", arguments));
    }
}
