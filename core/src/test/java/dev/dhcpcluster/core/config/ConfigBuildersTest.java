package dev.dhcpcluster.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link ServerConfig#builder()} and {@link SubnetConfig#builder()}: defaults, validation, immutable results. */
class ConfigBuildersTest {

    private static final NodeId NODE = new NodeId(4);

    private static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }

    private static SubnetConfig.Builder lab() {
        return SubnetConfig.builder(ip("198.18.0.0"), 24).pool(ip("198.18.0.10"), ip("198.18.0.19"));
    }

    @Test
    @DisplayName("a subnet built from a prefix and a pool has the defaults of a node file: two-hour leases, T1 at half, T2 at 7/8")
    void subnetDefaults() {
        SubnetConfig subnet = lab().build();

        assertEquals(ip("198.18.0.0"), subnet.network());
        assertEquals(24, subnet.prefixLength());
        assertEquals(List.of(new AddressRange(ip("198.18.0.10"), ip("198.18.0.19"))), subnet.ranges());
        assertEquals(new LeaseTimes(Duration.ofHours(2), Duration.ofHours(2), Duration.ofHours(2),
                Duration.ofHours(1), Duration.ofSeconds(6300)), subnet.leaseTimes());
        assertEquals(DhcpOptions.empty(), subnet.options());
        assertEquals(List.of(), subnet.reservations());
        assertEquals(List.of(), subnet.relayAddresses());
        assertEquals(Optional.empty(), subnet.interfaceName());
        assertFalse(subnet.authoritative());
    }

    @Test
    @DisplayName("a server built from a node and a subnet has the defaults of a node file")
    void serverDefaults() {
        ServerConfig server = ServerConfig.builder().node(NODE).subnet(lab().build()).build();

        assertEquals(NODE, server.node());
        assertEquals(List.of(lab().build()), server.subnets());
        assertEquals(DhcpOptions.empty(), server.options());
        assertEquals(List.of(), server.clientClasses());
        assertEquals(Optional.empty(), server.serverIdentifier());
        assertEquals(Duration.ofSeconds(60), server.offerHold());
        assertEquals(Duration.ofHours(24), server.declineProbation());
        assertEquals(16, server.maxHops());
        assertEquals(68, server.clientPort());
        assertEquals(67, server.relayPort());
    }

    @Test
    @DisplayName("every setter reaches the built record")
    void settersReachTheRecord() {
        DhcpOptions router = DhcpOptions.builder().address(OptionCode.ROUTERS, ip("198.18.0.1")).build();
        SubnetConfig subnet = lab().leaseTime(Duration.ofMinutes(10)).options(router).relayAddress(ip("198.19.0.1"))
                .interfaceName("eth1").authoritative(true).build();
        ServerConfig server = ServerConfig.builder().node(NODE).subnet(subnet).options(router)
                .serverIdentifier(ip("198.18.0.2")).offerHold(Duration.ofSeconds(5)).declineProbation(Duration.ZERO)
                .maxHops(3).clientPort(6768).relayPort(6767).build();

        assertEquals(LeaseTimes.of(Duration.ofMinutes(10)), subnet.leaseTimes());
        assertEquals(router, subnet.options());
        assertEquals(List.of(ip("198.19.0.1")), subnet.relayAddresses());
        assertEquals(Optional.of("eth1"), subnet.interfaceName());
        assertTrue(subnet.authoritative());
        assertEquals(new ServerConfig(NODE, List.of(subnet), router, List.of(), Optional.of(ip("198.18.0.2")),
                Duration.ofSeconds(5), Duration.ZERO, 3, 6768, 6767), server);
    }

    @Test
    @DisplayName("toBuilder copies every field: an unchanged copy is equal, a changed one differs only there")
    void toBuilderCopies() {
        SubnetConfig subnet = lab().relayAddress(ip("198.19.0.1")).authoritative(true).build();
        ServerConfig server = ServerConfig.builder().node(NODE).subnet(subnet).maxHops(2).build();

        assertEquals(subnet, subnet.toBuilder().build());
        assertEquals(server, server.toBuilder().build());
        ServerConfig changed = server.toBuilder().relayPort(6767).build();
        assertEquals(6767, changed.relayPort());
        assertEquals(server, changed.toBuilder().relayPort(67).build());
    }

    @Test
    @DisplayName("a built record does not change when its builder goes on, and its lists cannot be changed")
    void resultsAreImmutable() {
        SubnetConfig.Builder subnets = lab();
        SubnetConfig first = subnets.build();
        subnets.pool(ip("198.18.0.30"), ip("198.18.0.39"));
        ServerConfig.Builder servers = ServerConfig.builder().node(NODE).subnet(first);
        ServerConfig one = servers.build();
        servers.subnet(SubnetConfig.builder(ip("198.18.1.0"), 24).build());

        assertEquals(1, first.pools().size());
        assertEquals(2, subnets.build().pools().size());
        assertEquals(1, one.subnets().size());
        assertEquals(2, servers.build().subnets().size());
        assertNotEquals(one, servers.build());
        assertThrows(UnsupportedOperationException.class, () -> one.subnets().clear());
        assertThrows(UnsupportedOperationException.class, () -> first.pools().clear());
    }

    @Test
    @DisplayName("the records' own checks refuse what a node file would: overlap, a pool outside, host bits, an undefined class")
    void validatesThroughTheRecords() {
        IllegalArgumentException overlap = assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder()
                .node(NODE).subnet(lab().build()).subnet(SubnetConfig.builder(ip("198.18.0.0"), 16).build()).build());
        assertTrue(overlap.getMessage().contains("overlap"), overlap.getMessage());

        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> lab().pool(ip("198.18.1.1"), ip("198.18.1.9")).build());
        assertTrue(outside.getMessage().contains("is not inside 198.18.0.0/24"), outside.getMessage());

        IllegalArgumentException hostBits = assertThrows(IllegalArgumentException.class,
                () -> SubnetConfig.builder(ip("198.18.0.1"), 24).build());
        assertTrue(hostBits.getMessage().contains("host bits"), hostBits.getMessage());

        SubnetConfig restricted = SubnetConfig.builder(ip("198.18.0.0"), 24)
                .pool(new PoolConfig(new AddressRange(ip("198.18.0.10"), ip("198.18.0.19")), Optional.of("phones"),
                        DhcpOptions.empty())).build();
        IllegalArgumentException undefined = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().node(NODE).subnet(restricted).build());
        assertTrue(undefined.getMessage().contains("phones"), undefined.getMessage());

        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().node(NODE).relayPort(0).build());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().node(NODE).maxHops(256).build());
        assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().node(NODE).offerHold(Duration.ZERO).build());
    }

    @Test
    @DisplayName("a builder without its node or network says which call is missing")
    void requiredValues() {
        IllegalStateException noNode = assertThrows(IllegalStateException.class, () -> ServerConfig.builder().build());
        assertTrue(noNode.getMessage().contains("node("), noNode.getMessage());
        IllegalStateException noNetwork = assertThrows(IllegalStateException.class,
                () -> SubnetConfig.builder().build());
        assertTrue(noNetwork.getMessage().contains("network("), noNetwork.getMessage());
    }
}
