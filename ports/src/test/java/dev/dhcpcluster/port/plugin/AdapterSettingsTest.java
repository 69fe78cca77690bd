package dev.dhcpcluster.port.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AdapterSettingsTest {

    private static final Path DATA = Path.of("/var/lib/dhcpcluster");

    private static AdapterSettings settings(Map<String, ?> values) {
        return AdapterSettings.of("transport", values, DATA);
    }

    private static List<String> problems(AdapterSettings settings) {
        return settings.problems().stream().map(SettingsProblem::toString).toList();
    }

    @Test
    @DisplayName("good values come back typed, and nothing is a problem")
    void goodValuesAreRead() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("listen-address", "198.18.0.1");
        values.put("listen-port", 67);
        values.put("retention", 60L);
        values.put("file", "stores/leases.db");
        values.put("absolute", "/srv/leases.db");
        values.put("verbose", true);
        values.put("interfaces", List.of("eth1", "eth2"));
        AdapterSettings settings = settings(values);

        assertEquals(Optional.of(Ipv4Address.parse("198.18.0.1")), settings.address("listen-address"));
        assertEquals(Optional.of(67), settings.integer("listen-port", 0, 65535));
        assertEquals(Optional.of(Duration.ofSeconds(60)), settings.seconds("retention", Duration.ZERO, Duration.ofDays(1)));
        assertEquals(Optional.of(DATA.resolve("stores/leases.db")), settings.file("file"));
        assertEquals(Optional.of(Path.of("/srv/leases.db")), settings.file("absolute"));
        assertEquals(Optional.of(true), settings.bool("verbose"));
        assertEquals(List.of("eth1", "eth2"), settings.networkInterfaces("interfaces"));
        assertEquals(List.of(), problems(settings));
        assertEquals(List.of(), settings.unread());
        assertEquals(Map.of("transport.interfaces[0]", "eth1", "transport.interfaces[1]", "eth2"),
                settings.networkInterfaces());
    }

    @Test
    @DisplayName("every bad value is named by its JSON path, and reading goes on past it")
    void badValuesAreNamedByPath() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("listen-address", "198.18.0.256");
        values.put("listen-port", 70000);
        values.put("depth", 2.5);
        values.put("name", 7);
        values.put("interfaces", List.of("eth1", "eth1", " "));
        AdapterSettings settings = settings(values);

        settings.address("listen-address");
        settings.integer("listen-port", 0, 65535);
        settings.integer("depth", 1, 10);
        settings.string("name");
        settings.networkInterfaces("interfaces");
        settings.require("path");

        assertEquals(List.of(
                "transport.listen-address: \"198.18.0.256\" is not an IPv4 address (dotted quad, like 198.18.0.1)",
                "transport.listen-port: must be 0-65535, not 70000",
                "transport.depth: must be an integer, not 2.5",
                "transport.name: must be a string",
                "transport.interfaces[1]: \"eth1\" is listed twice",
                "transport.interfaces[2]: \" \" is not an interface name",
                "transport.path: is required"), problems(settings));
    }

    @Test
    @DisplayName("a field nobody read is unknown, here and in a nested section, listing the fields the section takes")
    void unreadFieldsAreUnknown() {
        AdapterSettings settings = settings(Map.of("listen-port", 67, "colour", "red",
                "tls", Map.of("keystore", "k.p12", "shape", "round")));

        settings.integer("listen-port", 0, 65535);
        settings.section("tls").orElseThrow().file("keystore");

        List<String> unknown = settings.unread().stream().map(SettingsProblem::toString).toList();
        assertEquals(2, unknown.size(), unknown.toString());
        assertTrue(unknown.contains("transport.colour: unknown field (known fields here: listen-port, tls)"),
                unknown.toString());
        assertTrue(unknown.contains("transport.tls.shape: unknown field (known fields here: keystore)"),
                unknown.toString());
    }

    @Test
    @DisplayName("a value a client or operator wrote is quoted with its control characters escaped")
    void controlCharactersAreEscapedInMessages() {
        AdapterSettings settings = settings(Map.of("interface", "eth0\n\u001b[31m"));

        settings.networkInterface("interface");

        assertEquals(List.of("transport.interface: \"eth0\\u000a\\u001b[31m\" is not an interface name"),
                problems(settings));
    }
}
