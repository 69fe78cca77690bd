package dev.dhcpcluster.bootstrap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code "node.dhcp-queue"}: the event loop's DHCP queue, per class of datagram. */
class DhcpQueueConfigTest {

    @Test
    @DisplayName("without dhcp-queue each class holds 4096 datagrams, dropped once they waited a second")
    void defaults() throws Exception {
        DhcpQueueSettings queue = NodeFileFixture.load(file -> { }).dhcpQueue();

        assertEquals(new DhcpQueueSettings(4096, Duration.ofSeconds(3)), queue);
        assertEquals(DhcpQueueSettings.defaults(), queue);
    }

    @Test
    @DisplayName("capacity and max-age-ms are read; max-age-ms 0 means no age limit; an absent field keeps its default")
    void values() throws Exception {
        assertEquals(new DhcpQueueSettings(512, Duration.ofMillis(250)), NodeFileFixture.load(file -> node(file)
                .putObject("dhcp-queue").put("capacity", 512).put("max-age-ms", 250)).dhcpQueue());
        assertEquals(new DhcpQueueSettings(4096, Duration.ZERO), NodeFileFixture.load(file -> node(file)
                .putObject("dhcp-queue").put("max-age-ms", 0)).dhcpQueue());
        assertEquals(new DhcpQueueSettings(16, Duration.ofSeconds(3)), NodeFileFixture.load(file -> node(file)
                .putObject("dhcp-queue").put("capacity", 16)).dhcpQueue());
    }

    @Test
    @DisplayName("bad values are refused, naming node.dhcp-queue and the field")
    void errors() {
        assertEquals(List.of("node.dhcp-queue.capacity: 8 is not 16 to 1048576 datagrams"),
                NodeFileFixture.errors(file -> node(file).putObject("dhcp-queue").put("capacity", 8)));
        assertEquals(List.of("node.dhcp-queue.capacity: 2000000 is not 16 to 1048576 datagrams"),
                NodeFileFixture.errors(file -> node(file).putObject("dhcp-queue").put("capacity", 2_000_000)));
        assertEquals(List.of("node.dhcp-queue.max-age-ms: -1 is not 0 (no limit) to 60000 milliseconds"),
                NodeFileFixture.errors(file -> node(file).putObject("dhcp-queue").put("max-age-ms", -1)));
        assertEquals(List.of("node.dhcp-queue.max-age-ms: 60001 is not 0 (no limit) to 60000 milliseconds"),
                NodeFileFixture.errors(file -> node(file).putObject("dhcp-queue").put("max-age-ms", 60_001)));
        assertEquals("node.dhcp-queue.capacity", NodeFileFixture.onlyError(file -> node(file)
                .putObject("dhcp-queue").put("capacity", "4096")).path());
        assertEquals("node.dhcp-queue.max-age", NodeFileFixture.onlyError(file -> node(file)
                .putObject("dhcp-queue").put("max-age", 1)).path());
    }

    /** The file's {@code node} section, to add to. */
    private static ObjectNode node(ObjectNode file) {
        return (ObjectNode) file.get("node");
    }
}
