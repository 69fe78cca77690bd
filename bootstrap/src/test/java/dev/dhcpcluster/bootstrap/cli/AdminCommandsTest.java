package dev.dhcpcluster.bootstrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that talk to a node, where no node is running. */
class AdminCommandsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        return DhcpclusterCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    /** A node file with its admin endpoint at {@code admin}, its data in {@code dir}/data. */
    private static Path nodeFile(Path dir, String admin) throws Exception {
        return Files.writeString(dir.resolve("node.json"), """
                {"node": {"id": 5, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 0},
                 "admin": %s,
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.1.1 - 198.18.1.9"}]}]}}
                """.formatted(dir.resolve("data"), admin));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    @DisplayName("the endpoint is found at admin.listen of --config; 0.0.0.0 is asked on loopback")
    void targetFromConfig(@TempDir Path dir) throws Exception {
        AdminTarget target = new AdminTarget();
        target.config = nodeFile(dir, "{\"listen\": \"0.0.0.0:9167\"}");
        assertEquals(Optional.of("127.0.0.1:9167"), target.hostPort());

        target.admin = "127.0.0.1:9999";
        assertEquals(Optional.of("127.0.0.1:9999"), target.hostPort(), "--admin wins");

        AdminTarget none = new AdminTarget();
        assertEquals(Optional.of("127.0.0.1:9067"), none.hostPort(), "the default");
    }

    @Test
    @DisplayName("status against a file that turns the endpoint off, or lets it pick its port, says why")
    void statusWithoutAnEndpoint(@TempDir Path dir) throws Exception {
        Path off = nodeFile(dir, "{\"enabled\": false}");
        assertEquals(DhcpclusterCommand.FAILED, execute("status", "--config", off.toString()));
        assertTrue(err.toString().contains("turns the admin endpoint off (admin.enabled is false)"), err.toString());

        err.getBuffer().setLength(0);
        Path any = nodeFile(dir, "{\"listen\": \"127.0.0.1:0\"}");
        assertEquals(DhcpclusterCommand.USAGE, execute("status", "--config", any.toString()));
        assertTrue(err.toString().contains("give it with --admin HOST:PORT"), err.toString());
    }

    @Test
    @DisplayName("leases with no node answering reads the store file, and says so")
    void leasesFallsBackToTheFile(@TempDir Path dir) throws Exception {
        Path file = nodeFile(dir, "{\"listen\": \"127.0.0.1:" + freePort() + "\"}");

        int code = execute("leases", "--config", file.toString());

        // The node never ran: there is no file to read either.
        assertEquals(DhcpclusterCommand.FAILED, code);
        assertTrue(err.toString().contains("no node answers at http://127.0.0.1:"), err.toString());
        assertTrue(err.toString().contains("reading the lease store's file instead"), err.toString());
        assertTrue(err.toString().contains("nothing to read in the sqlite lease store (sqlite "
                + dir.resolve("data").resolve("leases.db") + "): the node has not run with it yet"), err.toString());
    }

    @Test
    @DisplayName("run: an admin address another process listens on refuses the start with one line naming it")
    void runWithTheAdminPortTaken(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Path file = nodeFile(dir, "{\"listen\": \"127.0.0.1:" + taken.getLocalPort() + "\"}");

            int code = execute("run", "--config", file.toString());

            assertEquals(DhcpclusterCommand.FAILED, code);
            assertEquals("node 5 did not start: admin endpoint cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + " (admin.listen): Address already in use" + System.lineSeparator(), err.toString());
            assertEquals("", out.toString());
        }
    }

    @Test
    @DisplayName("a bad filter is a usage error naming the option")
    void badFilter() {
        assertEquals(DhcpclusterCommand.USAGE, execute("leases", "--admin", "127.0.0.1:9", "--mac", "zz"));
        assertTrue(err.toString().startsWith("--mac: "), err.toString());
    }

    @Test
    @DisplayName("lease del and reload need a token; a missing token file is named")
    void tokenNeeded(@TempDir Path dir) throws Exception {
        assertEquals(DhcpclusterCommand.USAGE, execute("reload", "--admin", "127.0.0.1:9"));
        assertTrue(err.toString().contains("needs the admin token"), err.toString());

        err.getBuffer().setLength(0);
        Path file = nodeFile(dir, "{\"listen\": \"127.0.0.1:9067\"}");
        assertEquals(DhcpclusterCommand.FAILED, execute("lease", "del", "198.18.1.2", "--config", file.toString()));
        assertTrue(err.toString().contains(dir.resolve("data").resolve("admin.token") + ": no admin token file"),
                err.toString());
    }
}
