package dev.dhcpcluster.bootstrap.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end, as {@code ./dhcpcluster demo} runs it: three node processes on loopback, the
 * relay-style client, a SIGKILL, no root.
 */
class DemoLoopbackTest {

    @Test
    @DisplayName("three nodes lease through one relay, one is SIGKILLed, every client keeps its address on the "
            + "survivors, new clients are served, no address twice, within a minute, nothing left behind")
    void theClusterKeepsEveryLeaseWhenANodeIsKilled() throws Exception {
        StringWriter printed = new StringWriter();

        Demo.Result result = new Demo(60, 32, new PrintWriter(printed, true)).run();

        String output = printed.toString();
        assertTrue(result.success(), output);
        // Every client leased, one node's offer each, through all three nodes.
        assertEquals(60, result.leased().obtained(), output);
        assertEquals(3, result.leasedBy().size(), "each node granted leases: " + result.leasedBy());
        assertEquals(60, result.leasedBy().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(80, result.offerChecks(), "every client's DISCOVERs drew offers from exactly one node");
        assertEquals(0, result.multipleOffers());
        // The killed node granted the most; its clients rebound to the survivors, on the same addresses.
        int killedServed = result.leasedBy().get(result.killed());
        assertEquals(result.leasedBy().values().stream().mapToInt(Integer::intValue).max().orElseThrow(), killedServed);
        assertEquals(60, result.renewed().obtained(), output);
        assertEquals(60, result.renewed().renewed(), output);
        assertEquals(List.of(), result.renewed().failures());
        assertEquals(60, result.renewedOwn() + result.rebound());
        assertTrue(result.rebound() >= killedServed, output);
        // New clients, from the survivors alone.
        assertEquals(20, result.fresh().obtained(), output);
        assertFalse(result.freshBy().containsKey(result.killed()), result.freshBy().toString());
        assertEquals(0, result.duplicates());
        assertEquals(2, result.survivorsBound().size());
        result.survivorsBound().values().forEach(bound -> assertEquals(80L, bound, output));
        assertEquals(2, result.survivorsMatching().size());
        result.survivorsMatching().values().forEach(matching -> assertEquals(80L, matching, output));
        assertFalse(result.survivorsBound().containsKey(result.killed()));
        assertTrue(result.elapsed().compareTo(Duration.ofMinutes(1)) < 0, "took " + result.elapsed());

        // What the user reads.
        assertTrue(Pattern.compile("(?m)^nodes started in \\d+\\.\\d s: node 1 on udp 127\\.0\\.0\\.11:\\d+ \\(pid \\d+\\), node 2 on udp "
                + "127\\.0\\.0\\.12:\\d+ \\(pid \\d+\\), node 3 on udp 127\\.0\\.0\\.13:\\d+ \\(pid \\d+\\)$")
                .matcher(output).find(), output);
        assertTrue(Pattern.compile("(?m)^leader: node [123] \\(epoch \\d+\\)").matcher(output).find(), output);
        assertTrue(output.contains("leased 60 of 60 addresses through a relay forwarding to all 3 nodes: node 1 "),
                output);
        assertTrue(output.contains("each DISCOVER drew one offer, from one node (60 clients)"), output);
        assertTrue(output.contains("killed node " + result.killed() + " (pid "), output);
        assertTrue(Pattern.compile("(?m)^renewed 60 of 60 on the same address: \\d+ with the node that granted them, "
                + result.rebound() + " of node " + result.killed() + "'s rebound to the survivors").matcher(output).find(),
                output);
        assertTrue(output.contains("new clients: 20 of 20 served by the survivors"), output);
        assertTrue(output.contains("each DISCOVER drew one offer, from one node (20 clients)"), output);
        assertTrue(Pattern.compile("(?m)^duplicates: 0 \\(80 clients hold 80 distinct addresses\\); the survivors list "
                + "them all, bound to the same clients: node \\d 80 of 80 \\(80 bound\\), node \\d 80 of 80 \\(80 bound\\)$")
                .matcher(output).find(), output);
        assertTrue(Pattern.compile("(?m)^demo OK in \\d+\\.\\d s: 80 clients, every address unique, every lease kept "
                + "after node " + result.killed() + " was killed$").matcher(output).find(), output);
        assertTrue(output.endsWith("nodes stopped" + System.lineSeparator()), output);

        // Nothing left behind: no node process, no directory.
        Matcher pids = Pattern.compile("\\(pid (\\d+)\\)").matcher(output);
        List<Long> started = new ArrayList<>();
        while (pids.find()) {
            started.add(Long.parseLong(pids.group(1)));
        }
        assertTrue(started.size() >= 3, output);
        for (long pid : started) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " runs on");
        }
        Matcher store = Pattern.compile("leases in SQLite in (\\S+) \\(deleted at the end\\)").matcher(output);
        assertTrue(store.find(), output);
        Path directory = Path.of(store.group(1));
        assertTrue(directory.getFileName().toString().startsWith("dhcpcluster-demo-"), directory.toString());
        assertFalse(Files.exists(directory), directory + " is left behind");
    }

    @Test
    @DisplayName("each node's config is read by the node file loader: same Dhcp4, own address, the two others as "
            + "peers, the client's port as client and relay port, a pool of at least four blocks")
    void theNodeConfigsAreReadByTheNodeFileLoader(@TempDir Path data) throws Exception {
        NodeConfig[] configs = new NodeConfig[3];
        for (int id = 1; id <= 3; id++) {
            Map<Integer, String> peers = new TreeMap<>();
            for (int peer = 1; peer <= 3; peer++) {
                if (peer != id) {
                    peers.put(peer, "127.0.0.1" + peer + ":4000" + peer);
                }
            }
            configs[id - 1] = Demo.parse(Demo.configJson(id, Ipv4Address.parse("127.0.0.1" + id), "127.0.0.1" + id
                    + ":5000" + id, "127.0.0.1" + id + ":4000" + id, peers, 40000, "sqlite", data.resolve("node" + id),
                    data.resolve("cluster.key")));
        }

        for (int id = 1; id <= 3; id++) {
            NodeConfig config = configs[id - 1];
            assertEquals(id, config.node().value());
            assertEquals("127.0.0.1" + id, config.transport().settings().get("listen-address"));
            assertEquals(0, config.transport().settings().get("listen-port"));
            assertEquals(40000, config.server().relayPort());
            assertEquals(40000, config.server().clientPort());
            assertEquals(data.resolve("node" + id), config.dataDirectory());
            assertEquals("sqlite", config.leaseStore().type());
            assertEquals(configs[0].server().subnets(), config.server().subnets(), "every node has the same Dhcp4");
        }
        SubnetConfig subnet = configs[0].server().subnets().get(0);
        assertEquals("127.1.0.0/16", subnet.toString());
        assertEquals(List.of(Ipv4Address.parse("127.0.0.2")), subnet.relayAddresses());
        assertTrue(subnet.ranges().get(0).size() >= 4 * 256, "a block for each node and one in reserve");
        assertNotEquals(configs[0].node(), configs[1].node());
    }

    @Test
    @DisplayName("--store memory gives the nodes the memory store")
    void theNodesCanKeepLeasesInMemory(@TempDir Path data) throws Exception {
        NodeConfig config = Demo.parse(Demo.configJson(1, Ipv4Address.parse("127.0.0.11"), "127.0.0.11:50001",
                "127.0.0.11:40001", Map.of(2, "127.0.0.12:40002", 3, "127.0.0.13:40003"), 40000, "memory",
                data.resolve("node1"), data.resolve("cluster.key")));

        assertEquals("memory", config.leaseStore().type());
        assertEquals(java.util.Map.of(), config.leaseStore().settings());
    }
}
