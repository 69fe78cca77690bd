package dev.dhcpcluster.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.dhcpcluster.bootstrap.embed.DhcpNode;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.testkit.client.Reaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DhcpNodeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    @Test
    @DisplayName("a node whose file names the example's transport and store serves a client through them")
    void aNodeServesThroughTheExamplesAdapters() throws Exception {
        Path socket = Files.createTempDirectory("uxn").resolve("dhcp.sock");
        try (SocketController controller = new SocketController(socket);
                DhcpNode node = DhcpNode.builder().configJson(Dora.nodeFile(1, directory, socket, "node-test")).build()) {
            node.start();

            Reaction reaction = Dora.run(controller, "02:00:00:00:0e:01", TIMEOUT);

            Reaction.Bound bound = assertInstanceOf(Reaction.Bound.class, reaction, reaction.toString());
            assertEquals("unix-socket " + socket, node.status().endpoint());
            List<Lease> kept = new MapLeaseStore("node-test").loadAll();
            assertEquals(List.of(bound.address()), kept.stream().map(Lease::address).toList(),
                    "the lease is in the application's own store");
        }
    }
}
