package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ISC perfdhcp against a node: it plays a relay (giaddr is its own address, on a subnet the node
 * reaches through a route) for thousands of simulated clients at a fixed rate, and checks that no
 * address is handed out twice.
 */
@EndToEnd(requires = "perfdhcp")
class PerfdhcpEndToEndTest {

    private static final String PERFDHCP_ADDRESS = "198.18.8.1";
    /** 198.18.8.10 to 198.18.15.250: 2033 addresses, more than the simulated clients. */
    private static final NodeConfigFile.Subnet RELAYED = new NodeConfigFile.Subnet(
            1, "198.18.8.0/21", "198.18.8.10", "198.18.15.250", PERFDHCP_ADDRESS, List.of());
    /**
     * perfdhcp picks clients round-robin from -R, so with -n equal to -R each client does exactly
     * one DORA exchange, and -u then counts an address seen twice as the server's fault.
     */
    private static final int CLIENTS = 2000;
    private static final int RATE = 1000;
    private static final double MAX_DROP_RATIO = 0.01;

    @Test
    void aNodeLeasesAThousandAddressesPerSecondWithoutDuplicatesOrDrops() {
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost nodeHost = lab.addHost("node", "198.18.0.1/24");
            LabHost perfHost = lab.addHost("perf", "198.18.0.3/24", PERFDHCP_ADDRESS + "/21");
            nodeHost.addRoute(RELAYED.cidr(), "198.18.0.3");
            NodeProcess node = NodeProcess.start(lab, nodeHost, "node",
                    NodeConfigFile.servingInterface(nodeHost.interfaceName()).withSubnet(RELAYED));

            LabProcess perfdhcp = lab.start("perfdhcp", perfHost, List.of(Tools.require("perfdhcp"), "-4",
                    "-r", Integer.toString(RATE), "-R", Integer.toString(CLIENTS), "-n", Integer.toString(CLIENTS),
                    "-p", "30", "-u", "-l", PERFDHCP_ADDRESS, "198.18.0.1"));
            int exit = perfdhcp.awaitExit(Duration.ofSeconds(90));

            // perfdhcp exits with 3 when some packets were dropped; the report says how many.
            assertTrue(Set.of(0, 3).contains(exit), perfdhcp::describe);
            PerfdhcpReport report = PerfdhcpReport.parse(perfdhcp.output());
            PerfdhcpReport.Exchange discover = report.exchange("DISCOVER-OFFER");
            PerfdhcpReport.Exchange request = report.exchange("REQUEST-ACK");
            String evidence = perfdhcp.describe() + System.lineSeparator() + node.describe();
            assertEquals(CLIENTS, discover.sent(), evidence);
            assertEquals(0, discover.nonUniqueAddresses(), evidence);
            assertEquals(0, request.nonUniqueAddresses(), evidence);
            assertTrue(discover.dropRatio() < MAX_DROP_RATIO, evidence);
            assertTrue(request.dropRatio() < MAX_DROP_RATIO, evidence);
            assertTrue(request.received() >= CLIENTS * (1 - 2 * MAX_DROP_RATIO), evidence);
        }
    }
}
