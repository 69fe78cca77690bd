package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The pools' blocks grouped by subnet, as the leader deals them. */
class PoolBlocksTest {

    private static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }

    private static final List<Ipv4Address> A = List.of(ip("198.18.0.10"), ip("198.18.1.10"));
    private static final List<Ipv4Address> B = List.of(ip("198.18.64.100"));

    @Test
    @DisplayName("each subnet is named by its first block; a held block is found in its subnet, one outside every "
            + "subnet in none")
    void subnetsAreNamedByTheirFirstBlock() {
        PoolBlocks pool = PoolBlocks.bySubnet(List.of(B, List.of(), A));

        assertEquals(List.of(ip("198.18.0.10"), ip("198.18.64.100")), List.copyOf(pool.subnets().keySet()));
        assertEquals(List.of(ip("198.18.0.10"), ip("198.18.1.10"), ip("198.18.64.100")), pool.all());
        assertEquals(3, pool.size());
        assertEquals(Optional.of(ip("198.18.0.10")), pool.subnetOf(ip("198.18.1.10")));
        assertEquals(Optional.empty(), pool.subnetOf(ip("198.18.1.11")), "not a block id");
        assertEquals(Optional.empty(), pool.subnetOf(ip("198.18.200.0")));
        assertEquals(new TreeMap<>(Map.of(ip("198.18.0.10"), Set.of(ip("198.18.1.10")), ip("198.18.64.100"), Set.of())),
                pool.split(Set.of(ip("198.18.1.10"), ip("198.18.9.0"))));
    }

    @Test
    @DisplayName("a subnet not named by its first block, a block in two subnets, or subnets that interleave are refused")
    void inconsistentPoolsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PoolBlocks(new TreeMap<>(Map.of(ip("198.18.1.10"), A))));
        assertThrows(IllegalArgumentException.class, () -> PoolBlocks.bySubnet(List.of(A, List.of(ip("198.18.1.10")))));
        assertThrows(IllegalArgumentException.class, () -> PoolBlocks.bySubnet(List.of(
                List.of(ip("198.18.0.0"), ip("198.18.2.0")), List.of(ip("198.18.1.0")))));
    }
}
