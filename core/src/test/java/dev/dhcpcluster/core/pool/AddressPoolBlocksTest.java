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
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AddressPoolBlocksTest {

    private static AddressRange range(String first, String last) {
        return new AddressRange(Ipv4Address.parse(first), Ipv4Address.parse(last));
    }

    private static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }

    private static AddressBlock block(String first, String last) {
        return new AddressBlock(ip(first), ip(last));
    }

    private static Set<Integer> drain(AddressPool pool) {
        Set<Integer> taken = new HashSet<>();
        for (int address = pool.allocate(); address != AddressPool.NONE; address = pool.allocate()) {
            assertTrue(taken.add(address), "handed out twice: " + Ipv4Address.of(address));
        }
        return taken;
    }

    /** A pool of 198.18.0.0 - 198.18.3.255: four whole blocks. */
    private static AddressPool fourBlocks() {
        return new AddressPool(List.of(range("198.18.0.0", "198.18.3.255")));
    }

    @Test
    @DisplayName("#10 blocks are cut from the range's first address, so two pools built from one config have the same blocks")
    void blocksAreDerivedFromTheConfiguration() {
        List<AddressRange> config = List.of(range("198.18.0.10", "198.18.2.9"));
        AddressPool one = new AddressPool(config);
        AddressPool other = new AddressPool(config);
        other.claim(ip("198.18.1.50"));
        other.withdraw(other.blocks().get(0));

        List<AddressBlock> expected = List.of(block("198.18.0.10", "198.18.1.9"), block("198.18.1.10", "198.18.2.9"));
        assertEquals(expected, one.blocks());
        assertEquals(expected, other.blocks());
    }

    @Test
    @DisplayName("#10 the last block of a range holds what is left, and each range starts a block of its own")
    void lastBlockOfARangeMayBePartial() {
        AddressPool pool = new AddressPool(List.of(range("198.18.0.0", "198.18.1.43"), range("198.18.8.0", "198.18.8.9")));

        assertEquals(List.of(block("198.18.0.0", "198.18.0.255"), block("198.18.1.0", "198.18.1.43"),
                block("198.18.8.0", "198.18.8.9")), pool.blocks());
        assertEquals(44, pool.freeCount(block("198.18.1.0", "198.18.1.43")));
        // 0.0.0.0 is not in the ranges; 256 + 44 + 10 addresses, none of the padding.
        assertEquals(310, pool.size());
        assertEquals(310, drain(pool).size());
    }

    @Test
    @DisplayName("#10 the block of an address is found from the address, excluded addresses included")
    void blockOfAnAddress() {
        AddressPool pool = fourBlocks();
        pool.exclude(ip("198.18.2.0"));

        assertEquals(Optional.of(block("198.18.2.0", "198.18.2.255")), pool.blockOf(ip("198.18.2.0")));
        assertEquals(Optional.of(block("198.18.3.0", "198.18.3.255")), pool.blockOf(ip("198.18.3.255")));
        assertEquals(Optional.empty(), pool.blockOf(ip("198.18.4.0")));
    }

    @Test
    @DisplayName("#10 a new pool owns every block: a node alone serves the whole pool")
    void newPoolOwnsEveryBlock() {
        AddressPool pool = fourBlocks();

        assertEquals(pool.blocks(), pool.ownedBlocks());
        assertEquals(4, pool.ownedBlockCount());
        assertEquals(1024, pool.ownedFreeCount());
    }

    @Test
    @DisplayName("#10 a withdrawn block is no longer owned, and granting it makes it owned again")
    void grantAndWithdraw() {
        AddressPool pool = fourBlocks();
        AddressBlock second = block("198.18.1.0", "198.18.1.255");

        assertTrue(pool.withdraw(second));
        assertFalse(pool.withdraw(second), "withdrawn twice");
        assertFalse(pool.owns(second));
        assertEquals(3, pool.ownedBlockCount());
        assertEquals(768, pool.ownedFreeCount());
        assertEquals(1024, pool.freeCount());

        assertTrue(pool.grant(second));
        assertFalse(pool.grant(second), "granted twice");
        assertTrue(pool.owns(second));
        assertEquals(pool.blocks(), pool.ownedBlocks());
        assertEquals(1024, pool.ownedFreeCount());
    }

    @Test
    @DisplayName("#10 a block that is not one of the pool's is refused by name")
    void foreignBlockIsRefused() {
        AddressPool pool = fourBlocks();

        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> pool.grant(block("198.18.9.0", "198.18.9.255")));
        assertTrue(outside.getMessage().contains("198.18.9.0"), outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pool.owns(block("198.18.1.1", "198.18.1.255")));
        assertThrows(IllegalArgumentException.class, () -> pool.withdraw(block("198.18.1.0", "198.18.1.200")));
    }

    @Test
    @DisplayName("#10 new addresses come only from owned blocks")
    void allocationOnlyInOwnedBlocks() {
        AddressPool pool = fourBlocks();
        pool.withdraw(block("198.18.0.0", "198.18.0.255"));
        pool.withdraw(block("198.18.2.0", "198.18.2.255"));

        Set<Integer> taken = drain(pool);

        assertEquals(512, taken.size());
        for (int address : taken) {
            int thirdOctet = (address >>> 8) & 0xFF;
            assertTrue(thirdOctet == 1 || thirdOctet == 3, "from a block not owned: " + Ipv4Address.of(address));
        }
        assertEquals(512, pool.freeCount(), "the withdrawn blocks' addresses are still free");
    }

    @Test
    @DisplayName("#10 a pool whose only free addresses are in blocks it does not own is exhausted")
    void freeAddressesOfForeignBlocksAreNeverOffered() {
        AddressPool pool = fourBlocks();
        drain(pool);
        pool.release(ip("198.18.2.77").value());
        pool.withdraw(block("198.18.2.0", "198.18.2.255"));

        assertEquals(AddressPool.NONE, pool.allocate());
        assertEquals(1, pool.freeCount());
        assertEquals(0, pool.ownedFreeCount());
        assertTrue(pool.isFree(ip("198.18.2.77")));
    }

    @Test
    @DisplayName("#10 addresses of a block not owned are marked used and free as their leases change")
    void claimAndReleaseInBlocksNotOwned() {
        AddressPool pool = fourBlocks();
        AddressBlock foreign = block("198.18.3.0", "198.18.3.255");
        pool.withdraw(foreign);

        assertTrue(pool.claim(ip("198.18.3.7")));
        assertFalse(pool.isFree(ip("198.18.3.7")));
        assertEquals(255, pool.freeCount(foreign));
        assertEquals(768, pool.ownedFreeCount(), "a lease written by the block's owner changes nothing here");

        assertTrue(pool.release(ip("198.18.3.7")));
        assertEquals(256, pool.freeCount(foreign));
        assertEquals(1024, pool.freeCount(), "every address free again");
    }

    @Test
    @DisplayName("#10 a withdrawn block keeps its addresses in use, and they are never handed out twice")
    void withdrawnBlockKeepsItsLeases() {
        AddressPool pool = fourBlocks();
        drain(pool);
        AddressBlock block = block("198.18.1.0", "198.18.1.255");

        pool.withdraw(block);
        pool.grant(block);

        assertEquals(0, pool.freeCount(block));
        assertFalse(pool.isFree(ip("198.18.1.1")));
        assertEquals(AddressPool.NONE, pool.allocate(), "no address of the block is handed out a second time");
        assertTrue(pool.release(ip("198.18.1.1")), "its lease still ends as usual");
        assertEquals(ip("198.18.1.1").value(), pool.allocate());
    }

    @Test
    @DisplayName("#10 a re-granted block counts the addresses freed while it was away")
    void regrantedBlockOffersWhatWasFreedMeanwhile() {
        AddressPool pool = fourBlocks();
        drain(pool);
        AddressBlock block = block("198.18.0.0", "198.18.0.255");
        pool.withdraw(block);
        pool.release(ip("198.18.0.40"));
        pool.release(ip("198.18.0.41"));
        assertEquals(0, pool.ownedFreeCount());

        pool.grant(block);

        assertEquals(2, pool.ownedFreeCount());
        assertEquals(Set.of(ip("198.18.0.40").value(), ip("198.18.0.41").value()), drain(pool));
    }

    @Test
    @DisplayName("#10 with half the blocks owned, churn never hands out an address in use or one of a foreign block")
    void churnWithHalfTheBlocksOwned() {
        AddressPool pool = new AddressPool(List.of(range("198.18.0.0", "198.18.7.255")));
        List<AddressBlock> blocks = pool.blocks();
        for (int i = 1; i < blocks.size(); i += 2) {
            pool.withdraw(blocks.get(i));
        }
        Set<Integer> inUse = new HashSet<>(drain(pool));
        assertEquals(1024, inUse.size());
        java.util.Random random = new java.util.Random(10);
        for (int round = 0; round < 5000; round++) {
            if (random.nextBoolean() && !inUse.isEmpty()) {
                int victim = inUse.stream().skip(random.nextInt(inUse.size())).findFirst().orElseThrow();
                assertTrue(pool.release(victim));
                inUse.remove(victim);
            } else {
                int address = pool.allocate();
                if (address == AddressPool.NONE) {
                    assertEquals(1024, inUse.size(), "NONE only when every owned address is in use");
                } else {
                    assertTrue(pool.owns(pool.blockOf(Ipv4Address.of(address)).orElseThrow()));
                    assertTrue(inUse.add(address), "handed out an address in use: " + Ipv4Address.of(address));
                }
            }
            assertEquals(1024 - inUse.size(), pool.ownedFreeCount());
        }
    }

    @Test
    @DisplayName("#10 a pool of a million addresses, 99 % in use, still finds the free ones")
    void millionAddressPoolAt99PercentStillAllocates() {
        Ipv4Address first = ip("198.18.0.0");
        int size = 1 << 20;
        AddressPool pool = new AddressPool(List.of(new AddressRange(first, first.plus(size - 1))));
        int inUse = size / 100 * 99;
        for (int i = 0; i < inUse; i++) {
            assertNotEquals(AddressPool.NONE, pool.allocate());
        }
        // Free one address in every 100 behind the cursor, as leases end.
        for (int i = 0; i < inUse; i += 100) {
            pool.release(first.value() + i);
        }
        int freeAtStart = pool.freeCount();

        Set<Integer> taken = drain(pool);

        assertEquals(4096, pool.blockCount());
        assertEquals(freeAtStart, taken.size());
        assertEquals(0, pool.freeCount());
    }
}
