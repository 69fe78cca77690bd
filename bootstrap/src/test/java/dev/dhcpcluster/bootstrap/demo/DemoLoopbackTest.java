package dev.dhcpcluster.bootstrap.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo path end to end: a real node and the UDP client on loopback, no root. */
class DemoLoopbackTest {

    @Test
    void everyClientLeasesAUniqueAddressAndTheSummarySaysSo() throws Exception {
        StringWriter printed = new StringWriter();

        Demo.Result result = new Demo(200, 32, new PrintWriter(printed, true)).run();

        assertTrue(result.success(), printed.toString());
        assertEquals(200, result.report().obtained());
        assertEquals(200, result.report().uniqueAddresses());
        assertEquals(List.of(), result.report().duplicates());
        assertEquals(List.of(), result.report().failures());
        assertEquals(200, result.usage().bound());
        assertEquals(200, result.counts().replies(DhcpMessageType.ACK));
        assertEquals(200, result.counts().leasesBound());
        String output = printed.toString();
        assertTrue(output.contains("dhcpcluster node 1 serving 198.18.0.0/16 on udp 127.0.0.1:"), output);
        assertTrue(output.contains("leases: 200 of 200 obtained, 200 unique addresses"), output);
        assertTrue(output.contains("pool 198.18.0.0/16: 200 bound"), output);
        assertTrue(output.contains("demo OK: 200 leases, every address unique"), output);
        assertTrue(output.endsWith("node stopped" + System.lineSeparator()), output);
    }

    @Test
    void theDemoKeepsLeasesInSqliteInATemporaryDirectoryItDeletesAfterwards() throws Exception {
        StringWriter printed = new StringWriter();

        Demo.Result result = new Demo(20, 8, new PrintWriter(printed, true)).run();

        assertTrue(result.success(), printed.toString());
        Matcher store = Pattern.compile("lease store: sqlite, (\\S+/leases\\.db) \\(a fresh data directory")
                .matcher(printed.toString());
        assertTrue(store.find(), printed.toString());
        Path directory = Path.of(store.group(1)).getParent();
        assertTrue(directory.getFileName().toString().startsWith("dhcpcluster-demo-"), directory.toString());
        assertFalse(Files.exists(directory), directory + " is left behind");
        assertEquals(20, result.counts().store().changesCommitted(), "every ACKed lease went through the store");
        assertTrue(Pattern.compile("lease store: \\d+ commits? made 20 changes durable").matcher(printed.toString()).find(),
                printed.toString());
    }

    @Test
    void theDemoCanKeepLeasesInMemory() throws Exception {
        StringWriter printed = new StringWriter();

        Demo.Result result = new Demo(20, 8, "memory", new PrintWriter(printed, true)).run();

        assertTrue(result.success(), printed.toString());
        assertTrue(printed.toString().contains("lease store: memory (leases are lost when the demo ends)"),
                printed.toString());
    }

    @Test
    void theDemoConfigIsReadByTheNodeFileLoader(@TempDir Path data) throws Exception {
        NodeConfig config = Demo.config(40000, "sqlite", data);

        assertEquals(data, config.dataDirectory());
        assertEquals(Optional.of(data.resolve("leases.db")), config.leaseStore().file());
        assertEquals(40000, config.server().relayPort());
        assertEquals(0, config.transport().listenPort());
        SubnetConfig subnet = config.server().subnets().get(0);
        assertEquals("198.18.0.0/16", subnet.toString());
        assertEquals(List.of(Ipv4Address.parse("127.0.0.2")), subnet.relayAddresses());
        assertTrue(subnet.ranges().get(0).size() >= 1000, "the pool holds the default 1,000 leases");
    }
}
