package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The bits a recovering member keeps per address it read: the same as a map of BitSets, for few bits and many. */
class AddressBitsTest {

    @Test
    @DisplayName("bits set per address read back as a HashMap of BitSets holds them, with 1, 63, 64 and 130 bits an address")
    void agreesWithAMapOfBitSets() {
        for (int bits : new int[] {1, 63, 64, 130}) {
            SplittableRandom random = new SplittableRandom(bits);
            AddressBits table = new AddressBits(bits);
            Map<Integer, BitSet> model = new HashMap<>();
            for (int step = 0; step < 50_000; step++) {
                // Address 0 and addresses on both sides of the sign bit too.
                int address = random.nextInt(4) == 0 ? random.nextInt(3) - 1 : 0x7FFF_F000 + random.nextInt(0x4000);
                int bit = random.nextInt(bits);
                table.set(address, bit);
                model.computeIfAbsent(address, a -> new BitSet()).set(bit);
                int probe = random.nextBoolean() ? address : random.nextInt();
                int probeBit = random.nextInt(bits);
                assertEquals(model.containsKey(probe) && model.get(probe).get(probeBit), table.get(probe, probeBit));
            }
            assertEquals(model.size(), table.size());
            Set<Integer> visited = new HashSet<>();
            table.forEach(address -> {
                visited.add(address);
                for (int bit = 0; bit < bits; bit++) {
                    assertEquals(model.get(address).get(bit), table.get(address, bit), address + " bit " + bit);
                }
            });
            assertEquals(model.keySet(), visited);
        }
    }

    @Test
    @DisplayName("a bit outside the table's is refused, and an address never set has no bit")
    void boundsAreChecked() {
        AddressBits table = new AddressBits(3);
        assertThrows(IndexOutOfBoundsException.class, () -> table.set(1, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> table.get(1, -1));
        assertThrows(IllegalArgumentException.class, () -> new AddressBits(0));
        assertFalse(table.get(1, 0));
        assertEquals(0, table.size());
    }
}
