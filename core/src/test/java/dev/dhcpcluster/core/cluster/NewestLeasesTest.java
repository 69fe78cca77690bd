package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A cluster member's packed replica: the same leases back, by address and in address order, as a map of Lease objects. */
class NewestLeasesTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static HardwareAddress mac(long n) {
        return HardwareAddress.ethernet(new byte[] {2, 0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    }

    private static Lease lease(int address, long client, LeaseVersion version) {
        return new Lease(Ipv4Address.of(address), ClientKey.ofHardware(mac(client)), mac(client), Optional.empty(),
                LeaseState.BOUND, NOW, version);
    }

    /** A lease of one of the shapes a store holds, common and rare alike, chosen by {@code random}. */
    private static Lease anyLease(SplittableRandom random, int address) {
        long n = random.nextLong(1L << 32);
        HardwareAddress hardware = mac(n);
        ClientKey key = switch (random.nextInt(4)) {
            case 0 -> ClientKey.ofClientId(("a-long-client-identifier-" + n).getBytes());
            case 1 -> ClientKey.ofClientId(new byte[] {1, 2, 0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8),
                (byte) n});
            default -> ClientKey.ofHardware(random.nextInt(8) == 0 ? mac(n + 1) : hardware);
        };
        Optional<String> hostname = random.nextInt(4) == 0 ? Optional.of("host-" + n) : Optional.empty();
        Optional<HostNameSent> sent = random.nextInt(4) == 0
                ? Optional.of(HostNameSent.of(new byte[] {(byte) 0xFF, 'x', (byte) n})) : Optional.empty();
        Instant expiry = switch (random.nextInt(6)) {
            case 0 -> NOW.plusNanos(random.nextLong(1_000_000_000L));
            case 1 -> Instant.MAX;
            case 2 -> Instant.EPOCH;
            default -> NOW.plusMillis(random.nextLong(86_400_000L));
        };
        long epoch = random.nextInt(10) == 0 ? (1L << 22) + random.nextLong(1L << 40) : random.nextLong(100);
        long counter = random.nextInt(10) == 0 ? (1L << 32) + random.nextLong(1L << 50) : random.nextLong(1L << 32);
        int writer = random.nextInt(10) == 0 ? 256 + random.nextInt(1 << 20) : 1 + random.nextInt(255);
        LeaseState state = LeaseState.values()[random.nextInt(LeaseState.values().length)];
        return new Lease(Ipv4Address.of(address), key, hardware, hostname, state, expiry,
                new LeaseVersion(epoch, counter, new NodeId(writer)), sent);
    }

    @Test
    @DisplayName("every shape of lease comes back equal, by address and in unsigned address order, as a TreeMap of them holds")
    void agreesWithATreeMap() {
        SplittableRandom random = new SplittableRandom(7);
        NewestLeases leases = new NewestLeases();
        TreeMap<Ipv4Address, Lease> model = new TreeMap<>();
        for (int step = 0; step < 60_000; step++) {
            // Addresses on both sides of the sign bit, and many written again.
            int address = random.nextBoolean() ? 0x7FFF_F000 + random.nextInt(0x2000)
                    : random.nextInt(0x1000) * 0x10_0001;
            Lease lease = anyLease(random, address);
            leases.put(lease);
            model.put(lease.address(), lease);
            Ipv4Address probe = Ipv4Address.of(random.nextBoolean() ? address : random.nextInt());
            assertEquals(Optional.ofNullable(model.get(probe)), leases.get(probe));
            assertEquals(Optional.ofNullable(model.get(probe)).map(Lease::version), leases.version(probe));
            if (step % 5_000 == 0) {
                assertEquals(new ArrayList<>(model.values()), pages(leases, 97));
            }
        }
        assertEquals(model.size(), leases.size());
        for (Lease lease : model.values()) {
            assertEquals(lease, leases.get(lease.address()).orElseThrow());
        }
        assertEquals(new ArrayList<>(model.values()), pages(leases, 256));
        assertEquals(new ArrayList<>(model.values()), leases.after(Optional.empty(), Integer.MAX_VALUE));
    }

    @Test
    @DisplayName("a page starts above the address it is asked after, whether or not that address has a lease, and is empty past the last")
    void pagesStartAboveTheCursor() {
        NewestLeases leases = new NewestLeases();
        LeaseVersion version = LeaseVersion.first(1, new NodeId(1));
        for (int i = 0; i < 10; i++) {
            leases.put(lease(0x0A00_0000 + 2 * i, i + 1, version));
        }
        assertEquals(List.of(Ipv4Address.parse("10.0.0.6"), Ipv4Address.parse("10.0.0.8")),
                leases.after(Optional.of(Ipv4Address.parse("10.0.0.4")), 2).stream().map(Lease::address).toList());
        assertEquals(List.of(Ipv4Address.parse("10.0.0.6")),
                leases.after(Optional.of(Ipv4Address.parse("10.0.0.5")), 1).stream().map(Lease::address).toList());
        assertEquals(List.of(), leases.after(Optional.of(Ipv4Address.parse("10.0.0.18")), 5));
        assertEquals(List.of(), leases.after(Optional.empty(), 0));
        // Addresses added between two pages are in the next one.
        leases.put(lease(0x0A00_0007, 99, version));
        assertEquals(List.of(Ipv4Address.parse("10.0.0.7"), Ipv4Address.parse("10.0.0.8")),
                leases.after(Optional.of(Ipv4Address.parse("10.0.0.6")), 2).stream().map(Lease::address).toList());
        assertThrows(IllegalArgumentException.class, () -> leases.after(Optional.empty(), -1));
    }

    @Test
    @DisplayName("a load keeps each address's highest version, whatever order the rows come in")
    void putIfNewerKeepsTheHighestVersion() {
        NewestLeases leases = new NewestLeases();
        NodeId one = new NodeId(1);
        NodeId two = new NodeId(2);
        Lease low = lease(0x0A00_0001, 1, new LeaseVersion(1, 5, two));
        Lease high = lease(0x0A00_0001, 2, new LeaseVersion(2, 3, one));
        leases.putIfNewer(high);
        leases.putIfNewer(low);
        assertEquals(Optional.of(high), leases.get(high.address()));
        Lease tieBroken = lease(0x0A00_0001, 3, new LeaseVersion(2, 3, two));
        leases.putIfNewer(tieBroken);
        assertEquals(Optional.of(tieBroken), leases.get(high.address()));
        // put itself replaces, as the replication writes only what it accepted.
        leases.put(low);
        assertEquals(Optional.of(low), leases.get(high.address()));
        assertEquals(1, leases.size());
    }

    @Test
    @DisplayName("a hundred thousand leases read back equal after the index grew many times, past the recent-lease cache")
    void manyAddressesReadBack() {
        NewestLeases leases = new NewestLeases();
        Map<Ipv4Address, Lease> model = new TreeMap<>();
        for (int i = 0; i < 100_000; i++) {
            Lease lease = lease(0x0A00_0000 + i, i + 1, new LeaseVersion(i % 3, i, new NodeId(1 + i % 5)));
            leases.put(lease);
            model.put(lease.address(), lease);
        }
        for (Lease lease : model.values()) {
            assertEquals(Optional.of(lease), leases.get(lease.address()));
        }
        assertEquals(new ArrayList<>(model.values()), pages(leases, 256));
    }

    private static List<Lease> pages(NewestLeases leases, int size) {
        List<Lease> all = new ArrayList<>();
        Optional<Ipv4Address> after = Optional.empty();
        while (true) {
            List<Lease> page = leases.after(after, size);
            all.addAll(page);
            if (page.size() < size) {
                return all;
            }
            after = Optional.of(page.get(page.size() - 1).address());
        }
    }
}
