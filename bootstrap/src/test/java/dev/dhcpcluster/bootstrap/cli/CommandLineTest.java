package dev.dhcpcluster.bootstrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    private static final Path EXAMPLE = Path.of("..", "examples", "node.json");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void configCheckPrintsOkForAGoodFile() {
        // The example is written for a host with eth0 and eth1.
        int code = execute("config", "check", "--no-host-check", EXAMPLE.toString());

        assertEquals(0, code, err.toString());
        assertTrue(out.toString().startsWith("OK: " + EXAMPLE + ": node 1, 2 subnets (198.18.0.0/16, 198.19.0.0/24), transport udp "
                + "(interface eth0, listen-address 0.0.0.0, listen-port 67), lease store sqlite (expired-retention 86400, "
                + "file leases.db)"), out.toString());
    }

    @Test
    @DisplayName("config check reads a node file's relay section and names the relay on its line")
    void configCheckNamesTheRelay() {
        Path example = Path.of("..", "examples", "cluster", "node1-with-relay.json");

        int code = execute("config", "check", "--no-host-check", example.toString());

        assertEquals(0, code, err.toString());
        assertTrue(out.toString().strip().endsWith(", cluster \"lab\" of 3 members, relay from eth1 198.18.64.1 to 3 "
                + "servers, watching cluster \"lab\""), out.toString());
    }

    @Test
    @DisplayName("run refuses a relay section beside a udp transport, naming the field, before anything starts")
    void runRefusesARelayBesideUdp(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("node.json");
        Files.writeString(file, Files.readString(EXAMPLE).replaceFirst("\"Dhcp4\"",
                "\"relay\": {\"interfaces\": [{\"name\": \"lan1\", \"address\": \"198.18.64.1\"}], "
                        + "\"servers\": [{\"address\": \"198.18.0.1\"}]}, \"Dhcp4\""));

        int code = execute("run", "--config", file.toString());

        assertEquals(DhcpclusterCommand.USAGE, code);
        assertTrue(err.toString().contains("relay: a relay in one process with a node needs the node's transport to be "
                + "pcap (transport.type is \"udp\")"), err.toString());
        assertEquals("", out.toString(), "no ready line for a node that never started");
    }

    @Test
    void configCheckPrintsEveryErrorWithItsPath(@TempDir Path dir) throws Exception {
        Path file = badFile(dir);

        int code = execute("config", "check", file.toString());

        assertEquals(DhcpclusterCommand.USAGE, code);
        assertTrue(err.toString().contains("2 errors"), err.toString());
        assertTrue(err.toString().contains("Dhcp4.subnet4[0].pools[0].pool: \"198.18.9.1 - 198.18.1.2\" ends before it starts"),
                err.toString());
        assertTrue(err.toString().contains("transport.type: \"tcp\" is not a known transport; known: pcap, udp"), err.toString());
    }

    @Test
    void runWithABadConfigExitsNonZeroNamingTheField(@TempDir Path dir) throws Exception {
        Path file = badFile(dir);

        int code = execute("run", "--config", file.toString());

        assertEquals(DhcpclusterCommand.USAGE, code);
        assertTrue(err.toString().contains("Dhcp4.subnet4[0].pools[0].pool"), err.toString());
        assertEquals("", out.toString(), "no ready line for a node that never started");
    }

    @Test
    void runWithoutConfigIsAUsageError() {
        assertEquals(DhcpclusterCommand.USAGE, execute("run"));
        assertTrue(err.toString().contains("--config"), err.toString());
    }

    @Test
    @DisplayName("an unknown option is reported first by every subcommand, before a missing required one")
    void anUnknownOptionIsReportedFirst() {
        for (String[] args : List.of(new String[] {"run", "--bogus"}, new String[] {"leases", "--bogus"},
                new String[] {"config", "check", "--bogus"}, new String[] {"client", "--bogus"},
                new String[] {"demo", "--bogus"}, new String[] {"run", "--confg", "node.json"})) {
            StringWriter errors = new StringWriter();
            int code = DhcpclusterCommand.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(errors))
                    .execute(args);

            String first = errors.toString().lines().findFirst().orElse("");
            assertEquals(DhcpclusterCommand.USAGE, code, String.join(" ", args) + ": " + errors);
            String flag = args[0].equals("config") ? args[2] : args[1];
            assertTrue(first.startsWith("Unknown option") && first.contains("'" + flag + "'"),
                    String.join(" ", args) + ": " + errors);
        }
    }

    @Test
    @DisplayName("config check and run refuse an interface this host does not have, naming its JSON path")
    void anInterfaceThisHostLacksIsAConfigError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("node.json");
        Files.writeString(file, exampleWithDataIn(dir.resolve("data"))
                .replace("\"listen-address\": \"127.0.0.1\"", "\"listen-address\": \"0.0.0.0\", \"interface\": \"nosuch9\""));
        String expected = file + ": 1 error" + System.lineSeparator()
                + "  transport.interface: \"nosuch9\" does not exist on this host" + System.lineSeparator();

        assertEquals(DhcpclusterCommand.USAGE, execute("config", "check", file.toString()));
        assertEquals(expected, err.toString());
        assertEquals("", out.toString());

        err.getBuffer().setLength(0);
        assertEquals(DhcpclusterCommand.USAGE, execute("run", "--config", file.toString()));
        assertEquals(expected, err.toString());
        assertEquals("", out.toString(), "no ready line");
        assertFalse(Files.exists(dir.resolve("data")), "a node refused for its file touches nothing");

        err.getBuffer().setLength(0);
        assertEquals(0, execute("config", "check", "--no-host-check", file.toString()), err.toString());
    }

    @Test
    void runWithAMissingFileSaysSo(@TempDir Path dir) {
        assertEquals(DhcpclusterCommand.USAGE, execute("run", "--config", dir.resolve("absent.json").toString()));
        assertTrue(err.toString().contains("absent.json: 1 error"), err.toString());
        assertTrue(err.toString().contains("(file): does not exist"), err.toString());
    }

    @Test
    void aNodeThatCannotBindExitsWithFailureAndSaysWhy(@TempDir Path dir) throws Exception {
        // 198.18.0.77 is not an address of this host, so the bind must fail.
        Path file = dir.resolve("node.json");
        Files.writeString(file, exampleWithDataIn(dir.resolve("data"))
                .replace("\"listen-address\": \"127.0.0.1\"", "\"listen-address\": \"198.18.0.77\""));

        int code = execute("run", "--config", file.toString());

        assertEquals(DhcpclusterCommand.FAILED, code);
        assertTrue(err.toString().contains("node 1 did not start"), err.toString());
        assertTrue(err.toString().contains("198.18.0.77"), err.toString());
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedStopsTheNodeNamingTheField(@TempDir Path dir) throws Exception {
        // A regular file where a directory must go: no directory can be created below it, not even by root.
        Path occupied = Files.writeString(dir.resolve("occupied"), "a file");
        Path file = dir.resolve("node.json");
        Files.writeString(file, exampleWithDataIn(occupied.resolve("data")));

        int code = execute("run", "--config", file.toString());

        assertEquals(DhcpclusterCommand.FAILED, code);
        assertEquals("node 1 did not start: node.data-directory: cannot create the directory " + occupied.resolve("data")
                + ": Not a directory" + System.lineSeparator(), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void aStoreFileDirectoryThatCannotBeMadeRefusesTheStart(@TempDir Path dir) throws Exception {
        Path occupied = Files.writeString(dir.resolve("occupied"), "a file");
        Path file = dir.resolve("node.json");
        Files.writeString(file, exampleWithDataIn(dir.resolve("data"))
                .replace("\"file\": \"leases.db\"", "\"file\": \"" + occupied.resolve("leases.db") + "\""));

        int code = execute("run", "--config", file.toString());

        assertEquals(DhcpclusterCommand.FAILED, code);
        assertEquals("node 1 did not start: lease store: cannot open the lease database " + occupied.resolve("leases.db")
                + ": its directory " + occupied + " cannot be created: a file of that name exists"
                + System.lineSeparator(), err.toString());
    }

    @Test
    void theLogLevelOptionIsAcceptedAfterTheSubcommand() {
        int code = execute("config", "check", "--log-level", "warn", "--no-host-check", EXAMPLE.toString());
        assertEquals(0, code, err.toString());
    }

    @Test
    void anUnknownLogLevelIsAUsageError() {
        assertEquals(DhcpclusterCommand.USAGE, execute("--log-level", "loud", "config", "check", EXAMPLE.toString()));
    }

    @Test
    void clientRejectsABadSubnetOption() {
        assertEquals(DhcpclusterCommand.USAGE, execute("client", "--expect-subnet", "198.18.0.1/16"));
        assertTrue(err.toString().contains("host bits"), err.toString());
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertEquals(DhcpclusterCommand.USAGE, execute());
    }

    private int execute(String... args) {
        return DhcpclusterCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    /**
     * The example node file with its data directory at {@code data}, so that a node run from it
     * writes nowhere else, listening on loopback (a free port) and naming no interface, so that it
     * runs on any host.
     */
    private static String exampleWithDataIn(Path data) throws Exception {
        return Files.readString(EXAMPLE).replace("\"data-directory\": \"/var/lib/dhcpcluster\"",
                "\"data-directory\": \"" + data + "\"")
                .replace("\"listen-address\": \"0.0.0.0\"", "\"listen-address\": \"127.0.0.1\"")
                .replace("\"listen-port\": 67", "\"listen-port\": 0")
                .replaceAll("\"interface\": \"eth[01]\",", "");
    }

    private static Path badFile(Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, Files.readString(EXAMPLE)
                .replace("198.18.1.1 - 198.18.1.254", "198.18.9.1 - 198.18.1.2")
                .replace("\"type\": \"udp\"", "\"type\": \"tcp\""));
        return file;
    }
}
