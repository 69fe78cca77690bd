package dev.dhcpcluster.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPoolTest {

    private static AddressRange range(String first, String last) {
        return new AddressRange(Ipv4Address.parse(first), Ipv4Address.parse(last));
    }

    private static int ip(String text) {
        return Ipv4Address.parse(text).value();
    }

    private static Set<Integer> drain(AddressPool pool) {
        Set<Integer> taken = new HashSet<>();
        for (int address = pool.allocate(); address != AddressPool.NONE; address = pool.allocate()) {
            assertTrue(taken.add(address), "handed out twice: " + Ipv4Address.of(address));
        }
        return taken;
    }

    @ParameterizedTest(name = "a pool of {0} addresses hands out each exactly once, then none")
    @ValueSource(ints = {1, 63, 64, 65, 127, 128, 129, 1000})
    void handsOutEveryAddressOnceAcrossWordBoundaries(int size) {
        int first = ip("198.18.1.0");
        AddressPool pool = new AddressPool(List.of(new AddressRange(Ipv4Address.of(first), Ipv4Address.of(first + size - 1))));

        Set<Integer> taken = drain(pool);

        assertEquals(size, taken.size());
        assertTrue(taken.stream().allMatch(a -> a >= first && a < first + size), "only addresses of the range");
        assertEquals(0, pool.freeCount());
        assertEquals(AddressPool.NONE, pool.allocate());
    }

    @Test
    void allocatesInAscendingOrderFromAFreshPool() {
        AddressPool pool = new AddressPool(List.of(range("198.18.0.10", "198.18.0.12")));

        assertEquals(ip("198.18.0.10"), pool.allocate());
        assertEquals(ip("198.18.0.11"), pool.allocate());
        assertEquals(ip("198.18.0.12"), pool.allocate());
    }

    @Test
    void releasedAddressIsHandedOutAgainOnceTheOthersAreTaken() {
        AddressPool pool = new AddressPool(List.of(range("198.18.0.10", "198.18.0.19")));
        drain(pool);

        assertTrue(pool.release(ip("198.18.0.13")));

        assertEquals(1, pool.freeCount());
        assertEquals(ip("198.18.0.13"), pool.allocate());
        assertEquals(AddressPool.NONE, pool.allocate());
    }

    @Test
    void cursorPrefersAddressesNotRecentlyReleased() {
        AddressPool pool = new AddressPool(List.of(range("198.18.0.0", "198.18.0.255")));
        int first = pool.allocate();
        pool.release(first);

        // The next allocation moves on rather than hand the just-released address straight back.
        assertNotEquals(first, pool.allocate());
    }

    @Test
    void disjointRangesAreLaidEndToEnd() {
        AddressPool pool = new AddressPool(List.of(range("198.18.0.200", "198.18.0.201"), range("198.18.0.10", "198.18.0.11")));

        assertEquals(Set.of(ip("198.18.0.10"), ip("198.18.0.11"), ip("198.18.0.200"), ip("198.18.0.201")), drain(pool));
        assertFalse(pool.contains(ip("198.18.0.100")));
    }

    @Test
    void overlappingRangesCountEachAddressOnce() {
        AddressPool pool = new AddressPool(List.of(range("198.18.0.10", "198.18.0.20"), range("198.18.0.15", "198.18.0.30"),
                range("198.18.0.31", "198.18.0.31")));

        assertEquals(22, pool.size());
        assertEquals(22, drain(pool).size());
    }

    @Test
    void claimTakesAParticularFreeAddressOnlyOnce() {
        AddressPool pool = new AddressPool(List.of(range("198.18.0.10", "198.18.0.19")));

        assertTrue(pool.claim(ip("198.18.0.15")));
        assertFalse(pool.claim(ip("198.18.0.15")));
        assertFalse(pool.isFree(ip("198.18.0.15")));
        assertEquals(9, pool.freeCount());
        assertFalse(drain(pool).contains(ip("198.18.0.15")));
    }

    @Test
    void addressesOutsideTheRangesAreNeitherClaimedNorReleased() {
        AddressPool pool = new AddressPool(List.of(range("198.18.0.10", "198.18.0.19")));

        assertFalse(pool.claim(ip("198.18.0.9")));
        assertFalse(pool.claim(ip("198.18.0.20")));
        assertFalse(pool.release(ip("198.18.0.20")));
        assertFalse(pool.isFree(ip("198.18.0.20")));
        assertEquals(10, pool.freeCount());
    }

    @Test
    void releasingAFreeAddressChangesNothing() {
        AddressPool pool = new AddressPool(List.of(range("198.18.0.10", "198.18.0.19")));

        assertFalse(pool.release(ip("198.18.0.12")));
        assertEquals(10, pool.freeCount());
    }

    @Test
    void excludedAddressIsNeverHandedOutNorReleasedNorCounted() {
        AddressPool pool = new AddressPool(List.of(range("198.18.0.10", "198.18.0.19")));

        assertTrue(pool.exclude(ip("198.18.0.10")));

        assertEquals(9, pool.size());
        assertEquals(9, pool.freeCount());
        assertFalse(pool.contains(ip("198.18.0.10")));
        assertFalse(pool.claim(ip("198.18.0.10")));
        assertFalse(pool.release(ip("198.18.0.10")));
        assertFalse(drain(pool).contains(ip("198.18.0.10")));
    }

    @Test
    void excludingAnAddressInUseKeepsItOutAfterItsRelease() {
        AddressPool pool = new AddressPool(List.of(range("198.18.0.10", "198.18.0.11")));
        pool.claim(ip("198.18.0.10"));

        pool.exclude(ip("198.18.0.10"));
        pool.release(ip("198.18.0.10"));

        assertEquals(Set.of(ip("198.18.0.11")), drain(pool));
    }

    @Test
    void zeroAddressIsNeverInAPool() {
        AddressPool pool = new AddressPool(List.of(range("0.0.0.0", "0.0.0.3")));

        assertEquals(3, pool.size());
        assertFalse(drain(pool).contains(0));
    }

    @Test
    void rangeAcrossTheSignBitOfTheIntWorks() {
        AddressPool pool = new AddressPool(List.of(range("127.255.255.254", "128.0.0.1")));

        assertEquals(Set.of(ip("127.255.255.254"), ip("127.255.255.255"), ip("128.0.0.0"), ip("128.0.0.1")), drain(pool));
    }

    @Test
    void emptyPoolHasNothingToGive() {
        AddressPool pool = new AddressPool(List.of());

        assertEquals(0, pool.size());
        assertEquals(AddressPool.NONE, pool.allocate());
    }

    @Test
    void allocationAfterChurnNeverReturnsAnAddressInUse() {
        AddressPool pool = new AddressPool(List.of(range("198.18.0.0", "198.18.1.255")));
        Set<Integer> inUse = new HashSet<>(drain(pool));
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 5000; round++) {
            if (random.nextBoolean() && !inUse.isEmpty()) {
                int victim = inUse.stream().skip(random.nextInt(inUse.size())).findFirst().orElseThrow();
                assertTrue(pool.release(victim));
                inUse.remove(victim);
            } else {
                int address = pool.allocate();
                if (address == AddressPool.NONE) {
                    assertEquals(512, inUse.size(), "NONE only when every address is in use");
                } else {
                    assertTrue(inUse.add(address), "handed out an address in use: " + Ipv4Address.of(address));
                }
            }
            assertEquals(512 - inUse.size(), pool.freeCount());
        }
    }

    @Test
    void refusesMoreAddressesThanABitmapCanIndex() {
        assertThrows(IllegalArgumentException.class,
                () -> new AddressPool(List.of(range("0.0.0.0", "255.255.255.255"))));
    }
}
