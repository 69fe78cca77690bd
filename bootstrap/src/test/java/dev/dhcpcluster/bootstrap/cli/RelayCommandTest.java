package dev.dhcpcluster.bootstrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        return DhcpclusterCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    @DisplayName("relay with a bad file exits 2 and prints every problem with its path, as run does")
    void badFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("relay.json"), """
                {"relay": {"transport": {"type": "udp"}, "interfaces": [{"name": "eth1", "address": "198.18.64.1"}],
                           "servers": [{"address": "198.18.0.256"}], "max-hops": 20}}
                """);
        assertEquals(DhcpclusterCommand.USAGE, execute("relay", "--config", file.toString()));
        assertEquals(file + ": 2 errors%n  relay.max-hops: 20 is out of range (0 to 16)%n"
                .formatted() + "  relay.servers[0].address: \"198.18.0.256\" is not an IPv4 address (dotted quad, like 198.18.0.1)"
                + System.lineSeparator(), err.toString());
    }

    @Test
    @DisplayName("relay without a file exits 2 and names the file")
    void missingFile(@TempDir Path dir) {
        Path file = dir.resolve("nowhere.json");
        assertEquals(DhcpclusterCommand.USAGE, execute("relay", "--config", file.toString()));
        assertTrue(err.toString().contains(file + ": 1 error"), err.toString());
        assertTrue(err.toString().contains("(file): does not exist"), err.toString());
    }

    @Test
    @DisplayName("relay whose port is taken exits 1 and says where it could not bind")
    void portTaken(@TempDir Path dir) throws Exception {
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(
                new java.net.InetSocketAddress("127.0.0.2", 0))) {
            Path file = Files.writeString(dir.resolve("relay.json"), """
                    {"relay": {"transport": {"type": "udp", "listen-address": "127.0.0.2", "listen-port": %d},
                               "interfaces": [{"name": "lo", "address": "127.0.0.2"}],
                               "servers": [{"address": "127.0.0.1"}]}}
                    """.formatted(taken.getLocalPort()));
            assertEquals(DhcpclusterCommand.FAILED, execute("relay", "--config", file.toString()));
            assertTrue(err.toString().startsWith("the relay cannot start: 127.0.0.2:" + taken.getLocalPort()
                    + " is already in use"), err.toString());
        }
    }

    @Test
    @DisplayName("a cluster relay without its secret file exits 1 and names the field and the file")
    void missingSecret(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("relay.json"), """
                {"relay": {"transport": {"type": "udp", "listen-address": "127.0.0.2", "listen-port": 6799},
                           "interfaces": [{"name": "lo", "address": "127.0.0.2"}],
                           "servers": [{"address": "127.0.0.1", "node": 1, "peer": "127.0.0.1:6767"}],
                           "cluster": {"name": "lab", "secret-file": "cluster.key"}}}
                """);
        assertEquals(DhcpclusterCommand.FAILED, execute("relay", "--config", file.toString()));
        assertTrue(err.toString().startsWith("the relay cannot start: relay.cluster.secret-file: "
                + dir.resolve("cluster.key") + ": no cluster secret file"), err.toString());
    }
}
