package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.config.AdapterNames;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import java.nio.file.Path;
import java.util.Map;
import javax.inject.Provider;
import org.junit.jupiter.api.Test;

class NodeComponentTest {

    private static final Path EXAMPLE = Path.of("..", "examples", "node.json");

    @Test
    void theRegisteredAdaptersAreExactlyTheNamesTheConfigAccepts() throws Exception {
        NodeComponent component = NodeComponent.of(new ConfigLoader().load(EXAMPLE));

        assertEquals(AdapterNames.TRANSPORTS, component.transports().keySet());
        assertEquals(AdapterNames.STORES, component.leaseStores().keySet());
    }

    @Test
    void anUnknownAdapterNameFailsNamingTheFieldAndTheKnownNames() {
        Map<String, Provider<String>> registered = Map.of("udp", () -> "built");

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Adapters.build(registered, "pcap", "transport.type", "transport"));
        assertEquals("transport.type: \"pcap\" is not a known transport; known: udp", e.getMessage());
    }

    @Test
    void onlyTheChosenAdapterIsBuilt() {
        int[] built = {0, 0};
        Map<String, Provider<String>> registered = Map.of(
                "a", () -> "a" + built[0]++,
                "b", () -> "b" + built[1]++);

        assertEquals("a0", Adapters.build(registered, "a", "transport.type", "transport"));
        assertEquals(1, built[0]);
        assertEquals(0, built[1]);
    }

    @Test
    void theNodeIsASingletonGraph() throws Exception {
        NodeConfig config = new ConfigLoader().load(EXAMPLE);
        NodeComponent component = NodeComponent.of(config);

        assertTrue(component.runtime() == component.runtime());
        assertTrue(component.runtime().readyLine().startsWith("dhcpcluster node 1 serving 198.18.0.0/16, 198.19.0.0/24 on "));
    }
}
