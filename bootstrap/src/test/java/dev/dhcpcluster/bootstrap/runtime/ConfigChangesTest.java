package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.core.config.ServerConfig;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a reloaded node file changes: the fields that need a restart, and the live changes. */
class ConfigChangesTest {

    private static final String BASE = """
            {"node": {"id": 1, "data-directory": "/srv/dhcp/node-1"},
             "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 6767, "relay-port": 6768},
             "lease-store": {"type": "sqlite"},
             "Dhcp4": {"valid-lifetime": 3600,
                       "option-data": [{"name": "domain-name", "data": "example.test"}],
                       "subnet4": [{"subnet": "198.18.0.0/24", "pools": [{"pool": "198.18.0.10 - 198.18.0.99"}],
                                    "option-data": [{"name": "domain-name-servers", "data": "198.18.0.3"}]}]}}
            """;

    private static NodeConfig parse(String json) throws Exception {
        return new ConfigLoader().parse(json, "test");
    }

    private static NodeConfig base() throws Exception {
        return parse(BASE);
    }

    private static NodeConfig with(String from, String to) throws Exception {
        assertTrue(BASE.contains(from), from);
        return parse(BASE.replace(from, to));
    }

    private static List<String> live(NodeConfig running, NodeConfig loaded) {
        return ConfigChanges.describe(running.server(), ConfigChanges.applicable(running.server(), loaded.server()));
    }

    @Test
    @DisplayName("the same file needs no restart and changes nothing")
    void sameFile() throws Exception {
        assertEquals(List.of(), ConfigChanges.restartNeeded(base(), base()));
        assertEquals(List.of(), live(base(), base()));
    }

    @Test
    @DisplayName("a new listen port is named as needing a restart; nothing changes live")
    void listenPortNeedsRestart() throws Exception {
        NodeConfig loaded = with("\"listen-port\": 6767", "\"listen-port\": 6769");

        assertEquals(List.of("transport.listen-port"), ConfigChanges.restartNeeded(base(), loaded));
        assertEquals(List.of(), live(base(), loaded));
        assertEquals("transport.listen-port changed; it takes effect after a restart",
                ReloadOutcome.restartLine("transport.listen-port"));
    }

    @Test
    @DisplayName("node, transport and lease-store fields are each named by their JSON path")
    void everyRestartSectionIsNamed() throws Exception {
        NodeConfig loaded = parse(BASE
                .replace("\"id\": 1", "\"id\": 2")
                .replace("/srv/dhcp/node-1", "/srv/dhcp/node-2")
                .replace("\"listen-address\": \"127.0.0.1\"", "\"listen-address\": \"127.0.0.3\", \"interface\": \"lo\"")
                .replace("\"relay-port\": 6768", "\"relay-port\": 6770, \"client-port\": 6771")
                .replace("{\"type\": \"sqlite\"}", "{\"type\": \"sqlite\", \"file\": \"/srv/dhcp/other.db\", "
                        + "\"expired-retention\": 60}"));

        assertEquals(List.of("node.id", "node.data-directory", "transport.listen-address", "transport.interface",
                "transport.client-port", "transport.relay-port", "lease-store.file",
                "lease-store.expired-retention", "admin.token-file"), ConfigChanges.restartNeeded(base(), loaded));
    }

    @Test
    @DisplayName("the DHCP queue's capacity and age limit are named as needing a restart")
    void dhcpQueueNeedsRestart() throws Exception {
        NodeConfig loaded = with("\"data-directory\": \"/srv/dhcp/node-1\"}",
                "\"data-directory\": \"/srv/dhcp/node-1\", \"dhcp-queue\": {\"capacity\": 1024, \"max-age-ms\": 500}}");

        assertEquals(List.of("node.dhcp-queue.capacity", "node.dhcp-queue.max-age-ms"),
                ConfigChanges.restartNeeded(base(), loaded));
        assertEquals(List.of(), live(base(), loaded));
    }

    @Test
    @DisplayName("a new admin address is named once as admin.listen, and turning the endpoint off as admin.enabled")
    void adminNeedsRestart() throws Exception {
        NodeConfig moved = with("\"lease-store\": {\"type\": \"sqlite\"},",
                "\"lease-store\": {\"type\": \"sqlite\"}, \"admin\": {\"listen\": \"127.0.0.5:9167\"},");
        NodeConfig off = with("\"lease-store\": {\"type\": \"sqlite\"},",
                "\"lease-store\": {\"type\": \"sqlite\"}, \"admin\": {\"enabled\": false},");

        assertEquals(List.of("admin.listen"), ConfigChanges.restartNeeded(base(), moved));
        assertEquals(List.of("admin.enabled"), ConfigChanges.restartNeeded(base(), off));
        assertEquals(List.of(), live(base(), moved));
    }

    @Test
    @DisplayName("the applicable config keeps the running node id and reply ports, and takes the rest from the file")
    void applicableKeepsRestartValues() throws Exception {
        NodeConfig loaded = parse(BASE.replace("\"id\": 1", "\"id\": 2").replace("\"relay-port\": 6768", "\"relay-port\": 6770")
                .replace("198.18.0.3", "198.18.0.53"));

        ServerConfig applied = ConfigChanges.applicable(base().server(), loaded.server());

        assertEquals(base().server().node(), applied.node());
        assertEquals(6768, applied.relayPort());
        assertEquals(loaded.server().subnets(), applied.subnets());
        assertEquals(List.of("subnet 198.18.0.0/24: option domain-name-servers changed"), live(base(), loaded));
    }

    @Test
    @DisplayName("options added, changed and removed at each level are one line each")
    void optionChanges() throws Exception {
        NodeConfig loaded = parse(BASE
                .replace("[{\"name\": \"domain-name\", \"data\": \"example.test\"}]",
                        "[{\"name\": \"ntp-servers\", \"data\": \"198.18.0.4\"}]")
                .replace("{\"pool\": \"198.18.0.10 - 198.18.0.99\"}",
                        "{\"pool\": \"198.18.0.10 - 198.18.0.99\", \"option-data\": [{\"name\": \"routers\", \"data\": \"198.18.0.1\"}]}")
                .replace("198.18.0.3", "198.18.0.53"));

        assertEquals(List.of(
                "global option domain-name removed",
                "global option ntp-servers added",
                "subnet 198.18.0.0/24: pool 198.18.0.10 - 198.18.0.99: option routers added",
                "subnet 198.18.0.0/24: option domain-name-servers changed"), live(base(), loaded));
    }

    @Test
    @DisplayName("subnets and pools added and removed, lifetimes and reservations are named")
    void subnetChanges() throws Exception {
        NodeConfig loaded = parse(BASE
                .replace("\"valid-lifetime\": 3600", "\"valid-lifetime\": 1200")
                .replace("[{\"pool\": \"198.18.0.10 - 198.18.0.99\"}]",
                        "[{\"pool\": \"198.18.0.100 - 198.18.0.199\"}], "
                                + "\"reservations\": [{\"hw-address\": \"02:00:00:00:00:01\", \"ip-address\": \"198.18.0.5\"}]")
                .replace("}]}}", "}, {\"subnet\": \"198.18.4.0/24\", \"pools\": [{\"pool\": \"198.18.4.10 - 198.18.4.19\"}]}]}}"));

        List<String> changes = live(base(), loaded);

        assertEquals(List.of(
                "subnet 198.18.0.0/24: pool 198.18.0.100 - 198.18.0.199 added",
                "subnet 198.18.0.0/24: pool 198.18.0.10 - 198.18.0.99 removed (its live leases are kept until they end)",
                "subnet 198.18.0.0/24: valid-lifetime changed: 3600 s -> 1200 s",
                "subnet 198.18.0.0/24: min-valid-lifetime changed: 3600 s -> 1200 s",
                "subnet 198.18.0.0/24: max-valid-lifetime changed: 3600 s -> 1200 s",
                "subnet 198.18.0.0/24: renew-timer changed: 1800 s -> 600 s",
                "subnet 198.18.0.0/24: rebind-timer changed: 3150 s -> 1050 s",
                "subnet 198.18.0.0/24: reservation of 198.18.0.5 added",
                "subnet 198.18.4.0/24 added"), changes);
        assertEquals(List.of("subnet 198.18.4.0/24 removed (its leases are kept, served to no one)"),
                live(loaded, with("\"valid-lifetime\": 3600", "\"valid-lifetime\": 1200")).stream()
                        .filter(line -> line.startsWith("subnet 198.18.4.0/24")).toList());
    }

    @Test
    @DisplayName("a section given as a record is compared field by field, and an absent one as a whole")
    void sectionsByReflection() throws Exception {
        ConfigChanges.Watched section = new ConfigChanges.Watched("lease-store", NodeConfig::leaseStore, true,
                java.util.Map.of());
        List<String> paths = new java.util.ArrayList<>();

        section.compare(base(), with("{\"type\": \"sqlite\"}", "{\"type\": \"sqlite\", \"expired-retention\": 60}"),
                paths);

        assertEquals(List.of("lease-store.expired-retention"), paths);
        paths.clear();
        ConfigChanges.Watched transport = new ConfigChanges.Watched("transport", NodeConfig::transport, true,
                java.util.Map.of());
        transport.compare(base(), with("\"listen-port\": 6767", "\"listen-port\": 6767, \"interface\": \"lo\""), paths);
        assertEquals(List.of("transport.interface"), paths);
    }
}
