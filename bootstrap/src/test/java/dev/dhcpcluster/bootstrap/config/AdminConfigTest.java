package dev.dhcpcluster.bootstrap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code "admin"} section of a node file. */
class AdminConfigTest {

    @Test
    @DisplayName("the shipped example names the defaults: 127.0.0.1:9067, admin.token in the data directory")
    void example() throws Exception {
        AdminSettings admin = NodeFileFixture.load(file -> { }).admin();

        assertEquals(new AdminSettings(true, Ipv4Address.parse("127.0.0.1"), 9067,
                Path.of("/var/lib/dhcpcluster/admin.token")), admin);
    }

    @Test
    @DisplayName("without an admin section the endpoint is on at 127.0.0.1:9067")
    void onByDefault() throws Exception {
        NodeConfig config = NodeFileFixture.load(file -> file.remove("admin"));

        assertEquals(AdminSettings.defaults(config.dataDirectory()), config.admin());
        assertTrue(config.admin().enabled());
        assertEquals("127.0.0.1:9067", config.admin().listen());
    }

    @Test
    @DisplayName("enabled false turns it off")
    void off() throws Exception {
        assertFalse(NodeFileFixture.load(file -> file.putObject("admin").put("enabled", false)).admin().enabled());
    }

    @Test
    @DisplayName("listen takes address:port, port 0 included; an absolute token file stays as written")
    void listenAndTokenFile() throws Exception {
        AdminSettings admin = NodeFileFixture.load(file -> file.putObject("admin").put("listen", "198.18.0.2:0")
                .put("token-file", "/etc/dhcpcluster/admin.token")).admin();

        assertEquals(Ipv4Address.parse("198.18.0.2"), admin.listenAddress());
        assertEquals(0, admin.listenPort());
        assertEquals(Path.of("/etc/dhcpcluster/admin.token"), admin.tokenFile());
    }

    @Test
    @DisplayName("every mistake names its JSON path")
    void errors() {
        assertEquals(List.of("admin.listen: \"localhost\" is not address:port (like \"127.0.0.1:9067\")"),
                NodeFileFixture.errors(file -> file.putObject("admin").put("listen", "localhost")));
        assertEquals(List.of("admin.listen: \"127.0.0.1:70000\" has port 70000, not a TCP port (0-65535)"),
                NodeFileFixture.errors(file -> file.putObject("admin").put("listen", "127.0.0.1:70000")));
        assertEquals(List.of("admin.listen: \"127.0.0.1:http\" has a port that is not a number"),
                NodeFileFixture.errors(file -> file.putObject("admin").put("listen", "127.0.0.1:http")));
        assertEquals("admin.listen", NodeFileFixture.onlyError(file -> file.putObject("admin")
                .put("listen", "127.0.0:9067")).path());
        assertEquals("admin.token-file", NodeFileFixture.onlyError(file -> file.putObject("admin")
                .put("token-file", " ")).path());
        assertEquals("admin.token-file", NodeFileFixture.onlyError(file -> file.putObject("admin")
                .put("token-file", "tokens/")).path());
        assertEquals("admin.port", NodeFileFixture.onlyError(file -> file.putObject("admin").put("port", 9067)).path());
    }
}
