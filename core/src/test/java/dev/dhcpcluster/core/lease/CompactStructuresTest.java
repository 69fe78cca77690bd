package dev.dhcpcluster.core.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.HostNameSent;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The lease table's compact parts: packed client keys, the client index, the expiry heap, and leases kept as numbers. */
class CompactStructuresTest {

    private static HardwareAddress mac(long n) {
        return HardwareAddress.ethernet(new byte[] {2, 0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    }

    @Test
    @DisplayName("the client index agrees with a HashMap through random puts and removes, packed keys and long ones alike")
    void clientIndexAgreesWithAHashMap() {
        SplittableRandom random = new SplittableRandom(12);
        ClientIndex index = new ClientIndex();
        Map<ClientKey, Integer> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            int n = random.nextInt(5_000);
            ClientKey key = n % 10 == 0 ? ClientKey.ofClientId(("long-client-" + n).getBytes())
                    : ClientKey.ofHardware(mac(n));
            int operation = random.nextInt(4);
            if (operation == 3) {
                assertEquals(orNone(model.putIfAbsent(key, step)), index.putIfAbsent(key, step));
            } else if (operation == 0) {
                assertEquals(orNone(model.put(key, step)), index.put(key, step));
            } else if (operation == 1) {
                assertEquals(orNone(model.remove(key)), index.remove(key));
            } else {
                assertEquals(orNone(model.get(key)), index.get(key));
            }
            assertEquals(model.size(), index.size());
        }
        for (Map.Entry<ClientKey, Integer> entry : model.entrySet()) {
            assertEquals(entry.getValue(), index.get(entry.getKey()));
        }
        // Sized for many more entries, it holds the same ones.
        index.ensureCapacity(100_000);
        for (Map.Entry<ClientKey, Integer> entry : model.entrySet()) {
            assertEquals(entry.getValue(), index.get(entry.getKey()));
        }
    }

    private static int orNone(Integer value) {
        return value == null ? ClientIndex.NONE : value;
    }

    @Test
    @DisplayName("the address index numbers slots in the order added, finds each by its address, keeps them in order, sized ahead or grown")
    void slotIndexFindsEverySlot() {
        SplittableRandom random = new SplittableRandom(5);
        for (int ahead : new int[] {0, 50_000}) {
            SlotIndex index = new SlotIndex();
            index.ensureCapacity(ahead);
            Map<Integer, Integer> model = new HashMap<>();
            List<Integer> added = new ArrayList<>();
            while (added.size() < 40_000) {
                int address = random.nextInt();
                if (index.get(address) == SlotIndex.NONE) {
                    assertEquals(added.size(), index.add(address));
                    model.put(address, added.size());
                    added.add(address);
                }
            }
            for (Map.Entry<Integer, Integer> entry : model.entrySet()) {
                assertEquals(entry.getValue(), index.get(entry.getKey()));
                assertEquals(entry.getKey(), index.addressOf(entry.getValue()));
            }
            added.sort(Integer::compareUnsigned);
            SlotIndex.OrderedAddresses ordered = index.ordered();
            assertEquals(added.size(), ordered.size());
            for (int i = 0; i < added.size(); i++) {
                assertEquals(added.get(i), ordered.at(i));
            }
        }
    }

    @Test
    @DisplayName("the sparse slot map agrees with a HashMap through random puts and removes, growing and shrinking")
    void sparseSlotsAgreeWithAHashMap() {
        SplittableRandom random = new SplittableRandom(8);
        SparseSlots sparse = new SparseSlots(true);
        Map<Integer, Long> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            int slot = random.nextInt(step < 100_000 ? 20_000 : 300);
            int operation = random.nextInt(3);
            if (operation == 0) {
                sparse.put(slot, step, "s" + slot);
                model.put(slot, (long) step);
            } else if (operation == 1) {
                sparse.remove(slot);
                model.remove(slot);
            } else {
                assertEquals(model.containsKey(slot), sparse.has(slot));
                assertEquals(model.getOrDefault(slot, -1L), sparse.time(slot, -1));
                assertEquals(model.containsKey(slot) ? "s" + slot : null, sparse.object(slot));
            }
            assertEquals(model.size(), sparse.size());
        }
        for (Map.Entry<Integer, Long> entry : model.entrySet()) {
            assertEquals(entry.getValue(), sparse.time(entry.getKey(), -1));
        }
    }

    @Test
    @DisplayName("the expiry heap hands its entries back earliest first")
    void dueQueueIsEarliestFirst() {
        SplittableRandom random = new SplittableRandom(3);
        DueQueue queue = new DueQueue();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            long time = random.nextLong(1_000);
            times.add(time);
            queue.add(time, (int) time);
        }
        times.sort(null);
        for (long time : times) {
            assertEquals(time, queue.firstTime());
            assertEquals((int) time, queue.poll());
        }
        assertTrue(queue.isEmpty());
    }

    @Test
    @DisplayName("a table told how many leases come, exactly, too few or too many, loads the same leases as one told nothing")
    void sizedLoadsMatchAnUnsizedOne() {
        Ipv4Address first = Ipv4Address.parse("198.18.1.0");
        Instant expiry = Instant.parse("2030-01-01T00:00:00Z");
        List<Lease> leases = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            LeaseState state = i % 7 == 0 ? LeaseState.RELEASED : LeaseState.BOUND;
            leases.add(new Lease(first.plus(i), ClientKey.ofHardware(mac(i)), mac(i),
                    i % 4 == 0 ? Optional.of("host-" + i) : Optional.empty(), state, expiry.plusSeconds(i),
                    new LeaseVersion(0, 1 + i, new NodeId(1))));
        }
        long now = Instant.parse("2029-01-01T00:00:00Z").toEpochMilli();
        ServerConfig config = TestConfigs.server(TestConfigs.SubnetBuilder.of("198.18.0.0", 16)
                .pool("198.18.1.0", "198.18.20.255").build()).build();
        LeaseTable unsized = new LeaseTable(config);
        unsized.load(leases, now);
        for (long hint : new long[] {3_000, 10, 1_000_000, -1}) {
            LeaseTable sized = new LeaseTable(config);
            leases.forEach(sized.loader(now, hint));
            assertEquals(unsized.leases().size(), sized.leases().size(), "hint " + hint);
            for (Lease lease : leases) {
                assertEquals(Optional.of(lease), sized.leaseAt(lease.address()), "hint " + hint);
                assertEquals(unsized.leaseOf(lease.clientKey()), sized.leaseOf(lease.clientKey()), "hint " + hint);
            }
            assertEquals(unsized.nextExpiry(), sized.nextExpiry());
            assertEquals(unsized.usage(), sized.usage());
        }
    }

    @Test
    @DisplayName("a lease comes back from the table equal to the lease put in, whatever its rarer parts")
    void leasesComeBackEqual() {
        Ipv4Address first = Ipv4Address.parse("198.18.0.20");
        Instant expiry = Instant.parse("2030-01-01T00:00:00Z");
        LeaseVersion version = new LeaseVersion(3, 9, new NodeId(2));
        List<Lease> leases = List.of(
                new Lease(first, ClientKey.ofHardware(mac(1)), mac(1), Optional.empty(), LeaseState.BOUND, expiry,
                        version),
                new Lease(first.plus(1), ClientKey.ofClientId(new byte[] {1, 2, 0, 0, 0, 0, 2}), mac(2),
                        Optional.of("host"), LeaseState.RELEASED, expiry.plusNanos(1), version,
                        Optional.of(HostNameSent.of(new byte[] {0, (byte) 0xFF}))),
                new Lease(first.plus(2), ClientKey.ofClientId("a client id longer than seven".getBytes()), mac(3),
                        Optional.empty(), LeaseState.EXPIRED, expiry, version),
                new Lease(first.plus(3), ClientKey.ofHardware(mac(4)), mac(5), Optional.empty(), LeaseState.DECLINED,
                        expiry, version),
                new Lease(first.plus(4), ClientKey.ofHardware(mac(6)), mac(6), Optional.empty(), LeaseState.BOUND,
                        expiry, new LeaseVersion(5_000_000_000L, 3_000_000_000L, new NodeId(2))),
                new Lease(first.plus(5), ClientKey.ofHardware(mac(7)), mac(7), Optional.empty(), LeaseState.BOUND,
                        expiry, new LeaseVersion(3, Integer.MAX_VALUE, new NodeId(2))));
        LeaseTable table = new LeaseTable(TestConfigs.server(TestConfigs.subnet().build()).build());
        table.load(leases, Instant.parse("2029-01-01T00:00:00Z").toEpochMilli());
        for (Lease lease : leases) {
            assertEquals(Optional.of(lease), table.leaseAt(lease.address()));
        }
        assertEquals(leases.size(), table.leases().size());
        // A counter beyond an int still orders versions.
        Lease big = leases.get(4);
        long now = Instant.parse("2029-01-01T00:00:00Z").toEpochMilli();
        assertFalse(table.merge(new Lease(big.address(), big.clientKey(), big.hardwareAddress(), Optional.empty(),
                LeaseState.RELEASED, expiry, new LeaseVersion(5_000_000_000L, 2_999_999_999L, new NodeId(9))), now));
        Lease newer = new Lease(big.address(), big.clientKey(), big.hardwareAddress(), Optional.empty(),
                LeaseState.RELEASED, expiry, new LeaseVersion(5_000_000_000L, 3_000_000_001L, new NodeId(1)));
        assertTrue(table.merge(newer, now));
        assertEquals(Optional.of(newer), table.leaseAt(big.address()));
    }
}
