package dev.dhcpcluster.bootstrap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.LeaseTimes;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Dhcp4Parser}: a Kea-style {@code Dhcp4} section, wrapped or bare, becomes the same
 * {@link ServerConfig} a node file gives, and the builders' defaults are a node file's defaults.
 */
class Dhcp4ParserTest {

    private static final NodeId NODE = new NodeId(7);

    private static final String BARE = """
            {"subnet4": [{"subnet": "198.18.0.0/24", "pools": [{"pool": "198.18.0.10 - 198.18.0.19"}]}]}
            """;

    private static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }

    private static ServerConfig built() {
        return ServerConfig.builder().node(NODE)
                .subnet(SubnetConfig.builder(ip("198.18.0.0"), 24).pool(ip("198.18.0.10"), ip("198.18.0.19")).build())
                .build();
    }

    private static ConfigError onlyError(String json) {
        ConfigException e = assertThrows(ConfigException.class, () -> Dhcp4Parser.parse(json, NODE, "dhcp.json"));
        assertEquals(1, e.errors().size(), e.getMessage());
        assertTrue(e.getMessage().startsWith("dhcp.json: 1 error"), e.getMessage());
        return e.errors().get(0);
    }

    @Test
    @DisplayName("a bare Dhcp4 object and the same object wrapped as in a Kea file give one config, equal to the builders' defaults")
    void bareAndWrappedMatchTheBuilders() throws Exception {
        ServerConfig bare = Dhcp4Parser.parse(BARE, NODE);
        ServerConfig wrapped = Dhcp4Parser.parse("{\"Dhcp4\": " + BARE + "}", NODE);

        assertEquals(built(), bare);
        assertEquals(bare, wrapped);
        assertEquals(LeaseTimes.DEFAULT_VALID, bare.subnets().get(0).leaseTimes().valid());
        assertEquals(ServerConfig.DEFAULT_CLIENT_PORT, bare.clientPort());
    }

    @Test
    @DisplayName("set fields are read as in a node file: lifetimes, relays, authoritative, offer and probation times; Kea comments pass")
    void fieldsAndComments() throws Exception {
        ServerConfig parsed = Dhcp4Parser.parse("""
                // as a Kea file may start
                {"Dhcp4": {
                  "valid-lifetime": 600, # seconds
                  "authoritative": true,
                  "offer-lifetime": 30,
                  "decline-probation-period": 120,
                  "max-hops": 4,
                  /* one relayed subnet */
                  "subnet4": [{"subnet": "198.18.4.0/22", "pools": [{"pool": "198.18.4.10 - 198.18.4.99"}],
                               "relay": {"ip-addresses": ["198.19.0.1"]}}]}}
                """, NODE);

        ServerConfig expected = ServerConfig.builder().node(NODE)
                .subnet(SubnetConfig.builder(ip("198.18.4.0"), 22).pool(ip("198.18.4.10"), ip("198.18.4.99"))
                        .leaseTime(Duration.ofMinutes(10)).relayAddress(ip("198.19.0.1")).authoritative(true).build())
                .offerHold(Duration.ofSeconds(30)).declineProbation(Duration.ofMinutes(2)).maxHops(4)
                .build();
        assertEquals(expected, parsed);
    }

    @Test
    @DisplayName("an error names its JSON path from Dhcp4, whether the section is wrapped or bare")
    void errorsNameTheirPath() {
        String bad = """
                {"subnet4": [{"subnet": "198.18.0.0/24", "pools": [{"pool": "198.18.0.30 - 198.18.0.20"}]}]}
                """;
        assertEquals("Dhcp4.subnet4[0].pools[0].pool", onlyError(bad).path());
        assertEquals("Dhcp4.subnet4[0].pools[0].pool", onlyError("{\"Dhcp4\": " + bad + "}").path());
        assertEquals("Dhcp4.subnet4[0].pols", onlyError("{\"Dhcp4\": {\"subnet4\": [{\"subnet\": \"198.18.0.0/24\","
                + " \"pols\": []}]}}").path());
        ConfigError duplicate = onlyError("{\"Dhcp4\": {\"max-hops\": 3, \"max-hops\": 4}}");
        assertTrue(duplicate.path().contains("max-hops") || duplicate.message().contains("max-hops"), duplicate.toString());
    }

    @Test
    @DisplayName("a wrapper holding more than Dhcp4, a Dhcp4 that is not an object, or text that is not JSON is refused by name")
    void badWrappers() {
        ConfigException more = assertThrows(ConfigException.class,
                () -> Dhcp4Parser.parse("{\"Dhcp4\": {}, \"Dhcp6\": {}, \"Logging\": {}}", NODE));
        assertEquals(List.of("Dhcp6", "Logging"), more.errors().stream().map(ConfigError::path).toList());
        assertEquals("Dhcp4: is not a JSON object", onlyError("{\"Dhcp4\": [1]}").toString());
        assertEquals("Dhcp4: is given twice", onlyError("{\"Dhcp4\": {}, \"Dhcp4\": {}}").toString());
        assertEquals("(file)", onlyError("{\"Dhcp4\": {}} {}").path());
        assertTrue(onlyError("{\"subnet4\": [").path().startsWith("line 1"));
        assertEquals("Dhcp4: is not a JSON object", onlyError("[]").toString());
    }

    @Test
    @DisplayName("read: a file's section, and a missing file named as such")
    void readsFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dhcp4.json");
        Files.writeString(file, "{\"Dhcp4\": " + BARE + "}");
        assertEquals(built(), Dhcp4Parser.read(file, NODE));

        ConfigException missing = assertThrows(ConfigException.class,
                () -> Dhcp4Parser.read(dir.resolve("none.json"), NODE));
        assertEquals("(file): does not exist", missing.errors().get(0).toString());
        assertEquals(dir.resolve("none.json").toString(), missing.source());
    }
}
