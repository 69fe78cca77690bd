package dev.dhcpcluster.bootstrap.config;

import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.load;
import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.subnet;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.SocketException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The interfaces a node file names, against the interfaces a host has. */
class HostCheckTest {

    @Test
    @DisplayName("an interface the host lacks is an error at its JSON path; one it has is not")
    void interfacesTheHostLacksAreNamedByPath() throws Exception {
        // The example names eth0 (transport.interface) and eth1 (Dhcp4.subnet4[1].interface).
        NodeConfig config = load(file -> { });

        ConfigException error = assertThrows(ConfigException.class,
                () -> new HostCheck(Set.of("lo", "eth0")::contains).check(config, "node.json"));

        assertEquals(List.of(new ConfigError("Dhcp4.subnet4[1].interface", "\"eth1\" does not exist on this host")),
                error.errors());
        assertEquals("node.json", error.source());
        assertDoesNotThrow(() -> new HostCheck(Set.of("eth0", "eth1")::contains).check(config, "node.json"));
    }

    @Test
    void everyInterfaceOfAPcapTransportIsChecked() throws Exception {
        NodeConfig config = load(file -> {
            ObjectNode transport = (ObjectNode) file.get("transport");
            transport.put("type", "pcap");
            transport.remove("interface");
            transport.putArray("interfaces").add("eth1").add("eth7");
        });

        ConfigException error = assertThrows(ConfigException.class,
                () -> new HostCheck(Set.of("eth1")::contains).check(config, "node.json"));

        assertEquals(List.of(new ConfigError("transport.interfaces[1]", "\"eth7\" does not exist on this host")),
                error.errors());
    }

    @Test
    void aHostWhoseInterfacesCannotBeListedFailsTheCheckSayingWhy() throws Exception {
        NodeConfig config = load(file -> { });

        ConfigException error = assertThrows(ConfigException.class, () -> new HostCheck(name -> {
            throw new SocketException("no network");
        }).check(config, "node.json"));

        assertEquals(new ConfigError("transport.interface", "cannot tell whether \"eth0\" exists on this host: no network"),
                error.errors().get(0));
    }

    @Test
    void thisHostsLoopbackExistsAndAMadeUpNameDoesNot() throws Exception {
        NodeConfig loopback = load(file -> {
            ((ObjectNode) file.get("transport")).put("interface", "lo");
            subnet(file, 1).remove("interface");
        });
        NodeConfig madeUp = load(file -> {
            ((ObjectNode) file.get("transport")).put("interface", "nosuch9");
            subnet(file, 1).remove("interface");
        });

        assertDoesNotThrow(() -> new HostCheck().check(loopback, "node.json"));
        ConfigException error = assertThrows(ConfigException.class, () -> new HostCheck().check(madeUp, "node.json"));
        assertEquals(List.of(new ConfigError("transport.interface", "\"nosuch9\" does not exist on this host")),
                error.errors());
    }
}
