package dev.dhcpcluster.bootstrap.config.kea;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dhcpcluster.bootstrap.config.ConfigError;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code import-kea} on the Kea files Debian ships: the configuration kea-dhcp4-server installs,
 * and every DHCPv4 example of kea-doc. Each converts into a node file the loader accepts, except
 * the examples listed in {@link #UNLOADABLE}, for which the import says exactly why.
 */
class KeaPackagedConfigsTest {

    /**
     * Examples that cannot become a node file that loads, and the loader's errors on the result.
     * config-backend.json keeps its subnets in a configuration database.
     */
    private static final Map<String, List<String>> UNLOADABLE = Map.of(
            "config-backend.json", List.of("Dhcp4.subnet4: missing or empty; a node serves at least one subnet"));

    @TempDir
    Path dir;

    static Stream<String> examples() throws IOException {
        Path examples = KeaPackageFiles.examples();
        try (Stream<Path> files = Files.list(examples)) {
            List<String> names = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".json"))
                    .sorted().toList();
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    @DisplayName("each kea-doc example converts into a node file that loads, or the import says why not")
    void keaDocExample(String name) throws Exception {
        KeaImport.Result result = new KeaImport().convert(KeaPackageFiles.EXAMPLES.resolve(name));
        List<String> errors = result.loadErrors().stream().map(ConfigError::toString).toList();
        assertEquals(UNLOADABLE.getOrDefault(name, List.of()), errors, () -> notes(result));
        if (!UNLOADABLE.containsKey(name)) {
            NodeConfig config = load(result);
            assertFalse(config.server().subnets().isEmpty(), name);
        }
    }

    @Test
    @DisplayName("the examples directory holds the DHCPv4 examples this test knows of")
    void examplesArePresent() throws Exception {
        List<String> names = examples().toList();
        assertTrue(names.containsAll(List.of("single-subnet.json", "shared-network.json", "reservations.json",
                "classify.json", "all-keys.json", "comments.json", "config-backend.json")), names.toString());
    }

    @Test
    @DisplayName("Debian's installed kea-dhcp4.conf converts into a node file that loads")
    void debianConfig() throws Exception {
        KeaImport.Result result = new KeaImport().convert(KeaPackageFiles.debianConfig());
        assertEquals(List.of(), result.loadErrors(), () -> notes(result));
        NodeConfig config = load(result);
        assertEquals("[192.0.2.0/24]", config.server().subnets().toString());
        assertEquals(4, config.server().subnets().get(0).reservations().size());
        JsonNode subnet = new ObjectMapper().readTree(result.nodeFile()).path("Dhcp4").path("subnet4").get(0);
        assertEquals("192.0.2.1 - 192.0.2.200", subnet.path("pools").get(0).path("pool").asText());
        assertEquals(4, subnet.path("reservations").size(), subnet.toString());
        String notes = notes(result);
        for (String expected : List.of("Dhcp4.subnet4[0].reservations[2]: not converted: a reservation by duid",
                "Dhcp4.subnet4[0].reservations[5]: not converted: a reservation by flex-id",
                "Dhcp4.control-socket: not converted", "Dhcp4.loggers[0]: not converted",
                "Dhcp4.expired-leases-processing: not converted",
                "Dhcp4.lease-database.type: note: memfile became the sqlite lease store")) {
            assertTrue(notes.contains(expected), expected + " in\n" + notes);
        }
    }

    private NodeConfig load(KeaImport.Result result) throws Exception {
        Path file = dir.resolve("node.json");
        Files.writeString(file, result.nodeFile());
        return new ConfigLoader().load(file);
    }

    private static String notes(KeaImport.Result result) {
        return result.notes().stream().map(KeaNote::toString).collect(Collectors.joining("\n"))
                + "\n" + result.nodeFile() + "\n" + result.loadErrors();
    }
}
