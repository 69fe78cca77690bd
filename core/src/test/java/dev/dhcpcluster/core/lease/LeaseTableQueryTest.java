package dev.dhcpcluster.core.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.ClientIdentity;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The operator's view of the table: {@link LeaseTable#query} and {@link LeaseTable#remove}. */
class LeaseTableQueryTest {

    private final ManualClock clock = new ManualClock();
    private final LeaseTable table = new LeaseTable(TestConfigs.server(
            TestConfigs.subnet().pool("198.18.0.10", "198.18.0.200").build(),
            TestConfigs.SubnetBuilder.of("198.19.0.0", 24).pool("198.19.0.10", "198.19.0.200").build()).build());

    private static HardwareAddress mac(int n) {
        return HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, (byte) (n >> 8), (byte) n});
    }

    private static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }

    /** Binds {@code address} to client {@code n}, with a host name. */
    private Lease bind(int n, String address, String hostname) {
        Ipv4Address at = ip(address);
        ServedSubnet subnet = table.subnetContaining(at);
        return table.bind(subnet, at, ClientKey.ofHardware(mac(n)), mac(n), Optional.ofNullable(hostname),
                Optional.empty(), TestConfigs.LEASE, clock.millis()).get(0);
    }

    private static List<Ipv4Address> addresses(LeasePage page) {
        return page.leases().stream().map(Lease::address).toList();
    }

    private static LeaseQuery query(int limit) {
        return LeaseQuery.all(limit);
    }

    @Test
    @DisplayName("pages walk every lease in address order, the cursor being the last address of a page")
    void pagesWalkInAddressOrder() {
        // Bound out of order, across two subnets.
        bind(3, "198.19.0.20", null);
        bind(1, "198.18.0.30", null);
        bind(2, "198.18.0.12", null);
        bind(4, "198.19.0.11", null);
        bind(5, "198.18.0.100", null);

        LeasePage first = table.query(query(2));
        assertEquals(List.of(ip("198.18.0.12"), ip("198.18.0.30")), addresses(first));
        assertEquals(Optional.of(ip("198.18.0.30")), first.next());

        LeaseQuery all = query(2);
        LeasePage second = table.query(new LeaseQuery(all.address(), all.hardwareAddress(), all.clientKey(),
                all.hostname(), all.first(), all.last(), first.next(), 2));
        assertEquals(List.of(ip("198.18.0.100"), ip("198.19.0.11")), addresses(second));

        LeasePage third = table.query(new LeaseQuery(all.address(), all.hardwareAddress(), all.clientKey(),
                all.hostname(), all.first(), all.last(), second.next(), 2));
        assertEquals(List.of(ip("198.19.0.20")), addresses(third));
        assertEquals(Optional.empty(), third.next(), "the last page says so");
    }

    @Test
    @DisplayName("a page exactly as long as what is left says it is the last")
    void exactlyFullLastPageHasNoCursor() {
        bind(1, "198.18.0.10", null);
        bind(2, "198.18.0.11", null);

        LeasePage page = table.query(query(2));

        assertEquals(2, page.leases().size());
        assertEquals(Optional.empty(), page.next());
    }

    @Test
    @DisplayName("filters by address, hardware address, client identity, host name and range")
    void filters() {
        bind(1, "198.18.0.10", "alpha");
        bind(2, "198.18.0.11", "beta");
        bind(3, "198.19.0.10", "Alpha");
        ClientKey byId = ClientKey.ofClientId("printer-7".getBytes(StandardCharsets.US_ASCII));
        ServedSubnet first = table.subnets().get(0);
        table.bind(first, ip("198.18.0.12"), byId, mac(9), Optional.empty(), Optional.empty(), TestConfigs.LEASE,
                clock.millis());
        LeaseQuery all = query(100);

        assertEquals(List.of(ip("198.18.0.11")), addresses(table.query(new LeaseQuery(Optional.of(ip("198.18.0.11")),
                Optional.empty(), Optional.empty(), Optional.empty(), all.first(), all.last(), Optional.empty(), 100))));
        assertEquals(List.of(ip("198.18.0.12")), addresses(table.query(new LeaseQuery(Optional.empty(),
                Optional.of(mac(9)), Optional.empty(), Optional.empty(), all.first(), all.last(), Optional.empty(), 100))));
        assertEquals(List.of(ip("198.18.0.12")), addresses(table.query(new LeaseQuery(Optional.empty(),
                Optional.empty(), Optional.of(byId), Optional.empty(), all.first(), all.last(), Optional.empty(), 100))));
        assertEquals(List.of(ip("198.18.0.10"), ip("198.19.0.10")), addresses(table.query(new LeaseQuery(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("ALPHA"), all.first(), all.last(),
                Optional.empty(), 100))), "host names compare as DNS names do");
        assertEquals(List.of(ip("198.19.0.10")), addresses(table.query(new LeaseQuery(Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), ip("198.19.0.0"), ip("198.19.0.255"),
                Optional.empty(), 100))));
        assertTrue(table.query(new LeaseQuery(Optional.of(ip("198.18.0.10")), Optional.empty(), Optional.empty(),
                Optional.empty(), ip("198.19.0.0"), ip("198.19.0.255"), Optional.empty(), 100)).leases().isEmpty(),
                "an address outside the range matches nothing");
        assertTrue(table.query(new LeaseQuery(Optional.of(ip("198.18.0.99")), Optional.empty(), Optional.empty(),
                Optional.empty(), all.first(), all.last(), Optional.empty(), 100)).leases().isEmpty());
    }

    @Test
    @DisplayName("an address only offered has no lease to show")
    void offersAreNotLeases() {
        ServedSubnet subnet = table.subnets().get(0);
        table.offerFreeAddress(subnet, ClientKey.ofHardware(mac(1)), Set.of(), clock.millis());

        assertTrue(table.query(query(10)).leases().isEmpty());
    }

    @Test
    @DisplayName("removing a binding frees the address at once and gives the lease to write")
    void removeFreesTheAddress() {
        Lease bound = bind(1, "198.18.0.10", "alpha");
        ServedSubnet subnet = table.subnets().get(0);
        long freeBefore = subnet.usage().free();

        Optional<Lease> ended = table.remove(bound.address(), clock.millis());

        assertTrue(ended.isPresent());
        assertEquals(LeaseState.EXPIRED, ended.get().state());
        assertEquals(bound.version().next(LeaseVersion.NO_EPOCH, bound.writer()), ended.get().version());
        assertFalse(ended.get().holdsAddressAt(java.time.Instant.ofEpochMilli(clock.millis())));
        assertEquals(freeBefore + 1, subnet.usage().free());
        assertEquals(0, subnet.usage().bound());
        ClientIdentity other = ClientIdentity.of(ClientKey.ofHardware(mac(2)), mac(2));
        assertTrue(table.isAvailable(subnet, bound.address(), other, Set.of(), clock.millis()),
                "another client may have the address now");
        assertEquals(Optional.empty(), table.remove(bound.address(), clock.millis()), "nothing holds it any more");
    }

    @Test
    @DisplayName("removing a declined address ends its quarantine")
    void removeEndsQuarantine() {
        Lease bound = bind(1, "198.18.0.10", null);
        table.decline(bound.address(), bound.clientKey(), bound.hardwareAddress(), clock.millis());
        ServedSubnet subnet = table.subnets().get(0);
        assertEquals(1, subnet.usage().declined());

        assertTrue(table.remove(bound.address(), clock.millis()).isPresent());

        assertEquals(0, subnet.usage().declined());
    }

    @Test
    @DisplayName("removing an address nobody holds changes nothing")
    void removeNothing() {
        assertEquals(Optional.empty(), table.remove(ip("198.18.0.10"), clock.millis()));
        List<Lease> none = new ArrayList<>(table.query(query(10)).leases());
        assertTrue(none.isEmpty());
    }

    @Test
    @DisplayName("a page of a large table holds only the page")
    void largeTable() {
        SubnetConfig big = TestConfigs.SubnetBuilder.of("198.18.0.0", 16).pool("198.18.0.10", "198.18.255.200").build();
        LeaseTable large = new LeaseTable(TestConfigs.server(big).build());
        ServedSubnet subnet = large.subnets().get(0);
        for (int n = 0; n < 50_000; n++) {
            Ipv4Address at = Ipv4Address.of(ip("198.18.0.10").value() + n);
            large.bind(subnet, at, ClientKey.ofHardware(mac(n)), mac(n), Optional.empty(), Optional.empty(),
                    TestConfigs.LEASE, clock.millis());
        }
        LeaseQuery all = LeaseQuery.all(100);

        LeasePage page = large.query(new LeaseQuery(all.address(), all.hardwareAddress(), all.clientKey(),
                all.hostname(), all.first(), all.last(), Optional.of(ip("198.18.100.0")), 100));

        assertEquals(100, page.leases().size());
        assertEquals(ip("198.18.100.1"), page.leases().get(0).address());
        assertEquals(Optional.of(ip("198.18.100.100")), page.next());
    }
}
