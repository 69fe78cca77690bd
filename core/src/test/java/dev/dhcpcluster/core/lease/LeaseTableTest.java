package dev.dhcpcluster.core.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.ClassCondition;
import dev.dhcpcluster.core.config.ClientIdentity;
import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.core.pool.PoolRangeUsage;
import dev.dhcpcluster.core.pool.SubnetUsage;
import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LeaseTableTest {

    private static final Duration LEASE = TestConfigs.LEASE;
    private final ManualClock clock = new ManualClock();

    private static HardwareAddress mac(int n) {
        return HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, (byte) (n >> 8), (byte) n});
    }

    private static ClientKey client(int n) {
        return ClientKey.ofHardware(mac(n));
    }

    private static ClientIdentity identity(int n) {
        return ClientIdentity.of(client(n), mac(n));
    }

    private static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }

    private static LeaseTable table(ServerConfig config) {
        return new LeaseTable(config);
    }

    private static LeaseTable defaultTable() {
        return table(TestConfigs.server(TestConfigs.subnet().build()).build());
    }

    /** A version that this table's node (node 1), alone, could have written. */
    private static LeaseVersion v(long counter) {
        return new LeaseVersion(LeaseVersion.NO_EPOCH, counter, new NodeId(1));
    }

    private long now() {
        return clock.millis();
    }

    private Lease bind(LeaseTable table, int client, Ipv4Address address) {
        return table.bind(table.subnets().get(0), address, client(client), mac(client), Optional.empty(), Optional.empty(),
                LEASE, now()).get(0);
    }

    @Test
    void neverHandsOutNetworkBroadcastRouterOrServerAddress() {
        LeaseTable table = table(TestConfigs.server(TestConfigs.subnet().pool("198.18.0.0", "198.18.0.255").build()).build());
        ServedSubnet subnet = table.subnets().get(0);
        Set<Ipv4Address> given = new HashSet<>();
        for (int n = 0; ; n++) {
            Ipv4Address address = table.offerFreeAddress(subnet, client(n), Set.of(), now());
            if (address == null) {
                break;
            }
            given.add(address);
        }

        assertEquals(252, given.size());
        for (String never : List.of("198.18.0.0", "198.18.0.255", "198.18.0.1", "198.18.0.2")) {
            assertFalse(given.contains(ip(never)), never + " must never be handed out");
        }
    }

    @Test
    void serverAddressLearntFromTheInterfaceLeavesThePool() {
        LeaseTable table = table(TestConfigs.server(TestConfigs.subnet().build()).serverIdentifier(Optional.empty()).build());
        ServedSubnet subnet = table.subnets().get(0);

        table.excludeServerAddress(ip("198.18.0.10"));

        assertEquals(9, subnet.usage().size());
        assertNotEquals(ip("198.18.0.10"), table.offerFreeAddress(subnet, client(1), Set.of(), now()));
        assertFalse(table.isAvailable(subnet, ip("198.18.0.10"), identity(1), Set.of(), now()));
    }

    @Test
    void reservedAddressGoesOnlyToItsClient() {
        LeaseTable table = table(TestConfigs.server(TestConfigs.subnet()
                .reserveForHardware("02:00:00:00:00:07", "198.18.0.15", "printer").build()).build());
        ServedSubnet subnet = table.subnets().get(0);

        assertFalse(table.isAvailable(subnet, ip("198.18.0.15"), identity(1), Set.of(), now()));
        assertTrue(table.isAvailable(subnet, ip("198.18.0.15"), identity(7), Set.of(), now()));
        for (int n = 100; n < 120; n++) {
            assertNotEquals(ip("198.18.0.15"), table.offerFreeAddress(subnet, client(n), Set.of(), now()));
        }
        assertEquals(9, subnet.usage().size());
    }

    @Test
    void twoReservationsOfOneAddressAreRefused() {
        ServerConfig config = TestConfigs.server(TestConfigs.subnet()
                .reserveForHardware("02:00:00:00:00:07", "198.18.0.15", null)
                .reserveForHardware("02:00:00:00:00:08", "198.18.0.15", null).build()).build();

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> table(config));
        assertTrue(error.getMessage().contains("198.18.0.15"), error.getMessage());
    }

    @Test
    @DisplayName("#17 an offer holds the address for the offer hold time, not the lease time")
    void offerIsHeldForTheOfferHoldOnly() {
        LeaseTable table = defaultTable();
        ServedSubnet subnet = table.subnets().get(0);
        Ipv4Address offered = table.offerFreeAddress(subnet, client(1), Set.of(), now());

        clock.advance(ServerConfig.DEFAULT_OFFER_HOLD.minusSeconds(1));
        table.expire(now());
        assertFalse(table.isAvailable(subnet, offered, identity(2), Set.of(), now()));

        clock.advance(Duration.ofSeconds(1));
        table.expire(now());
        assertTrue(table.isAvailable(subnet, offered, identity(2), Set.of(), now()));
        assertEquals(0, subnet.usage().offered());
        assertEquals(10, subnet.usage().free());
    }

    @Test
    @DisplayName("#17 the next expiry is the end of the offer hold")
    void nextExpiryIsTheEndOfTheHold() {
        LeaseTable table = defaultTable();
        table.offerFreeAddress(table.subnets().get(0), client(1), Set.of(), now());

        assertEquals(now() + ServerConfig.DEFAULT_OFFER_HOLD.toMillis(), table.nextExpiry());
    }

    @Test
    void aSecondOfferToTheSameClientFreesTheFirst() {
        LeaseTable table = defaultTable();
        ServedSubnet subnet = table.subnets().get(0);
        Ipv4Address first = table.offerFreeAddress(subnet, client(1), Set.of(), now());

        table.offer(subnet, ip("198.18.0.18"), client(1), now());

        assertTrue(table.isAvailable(subnet, first, identity(2), Set.of(), now()));
        assertEquals(Optional.of(ip("198.18.0.18")), table.offeredTo(client(1), now()));
        assertEquals(1, subnet.usage().offered());
    }

    @Test
    void boundLeaseHoldsItsAddressUntilExpiry() {
        LeaseTable table = defaultTable();
        ServedSubnet subnet = table.subnets().get(0);
        bind(table, 1, ip("198.18.0.12"));

        clock.advance(LEASE.minusMillis(1));
        table.expire(now());
        assertFalse(table.isAvailable(subnet, ip("198.18.0.12"), identity(2), Set.of(), now()));

        clock.advance(Duration.ofMillis(1));
        table.expire(now());
        assertTrue(table.isAvailable(subnet, ip("198.18.0.12"), identity(2), Set.of(), now()));
        assertEquals(0, subnet.usage().bound());
    }

    @Test
    @DisplayName("#15 an expired lease is remembered, so the client gets its address back while it is free")
    void expiredLeaseIsRememberedForItsClient() {
        LeaseTable table = defaultTable();
        bind(table, 1, ip("198.18.0.12"));
        clock.advance(LEASE.plusMinutes(5));
        table.expire(now());

        Lease remembered = table.leaseOf(client(1)).orElseThrow();

        assertEquals(ip("198.18.0.12"), remembered.address());
        assertTrue(table.isAvailable(table.subnets().get(0), ip("198.18.0.12"), identity(1), Set.of(), now()));
    }

    @Test
    @DisplayName("#15 an expired address is reused for other clients only once the never-used ones are gone")
    void expiredAddressIsReusedLast() {
        LeaseTable table = defaultTable();
        ServedSubnet subnet = table.subnets().get(0);
        Ipv4Address first = table.offerFreeAddress(subnet, client(1), Set.of(), now());
        bind(table, 1, first);
        clock.advance(LEASE.plusSeconds(1));
        table.expire(now());

        Set<Ipv4Address> others = new HashSet<>();
        for (int n = 2; n <= 10; n++) {
            others.add(table.offerFreeAddress(subnet, client(n), Set.of(), now()));
        }
        assertFalse(others.contains(first));
        assertEquals(first, table.offerFreeAddress(subnet, client(11), Set.of(), now()));
    }

    @Test
    void remembranceEndsWhenTheAddressIsBoundToAnotherClient() {
        LeaseTable table = defaultTable();
        bind(table, 1, ip("198.18.0.12"));
        clock.advance(LEASE.plusSeconds(1));
        table.expire(now());

        bind(table, 2, ip("198.18.0.12"));

        assertTrue(table.leaseOf(client(1)).isEmpty());
        assertEquals(client(2), table.leaseAt(ip("198.18.0.12")).orElseThrow().clientKey());
    }

    @Test
    @DisplayName("#25 a released address is free, and remembered for the client that released it")
    void releaseFreesAndRemembers() {
        LeaseTable table = defaultTable();
        ServedSubnet subnet = table.subnets().get(0);
        bind(table, 1, ip("198.18.0.12"));

        Lease released = table.release(ip("198.18.0.12"), client(1), now()).orElseThrow();

        assertEquals(LeaseState.RELEASED, released.state());
        assertTrue(table.isAvailable(subnet, ip("198.18.0.12"), identity(2), Set.of(), now()));
        assertEquals(ip("198.18.0.12"), table.leaseOf(client(1)).orElseThrow().address());
    }

    @Test
    void releaseByAnotherClientIsRefused() {
        LeaseTable table = defaultTable();
        bind(table, 1, ip("198.18.0.12"));

        assertTrue(table.release(ip("198.18.0.12"), client(2), now()).isEmpty());
        assertFalse(table.isAvailable(table.subnets().get(0), ip("198.18.0.12"), identity(2), Set.of(), now()));
    }

    @Test
    @DisplayName("#24 a declined address is quarantined for everyone, the decliner included")
    void declinedAddressIsQuarantined() {
        LeaseTable table = defaultTable();
        ServedSubnet subnet = table.subnets().get(0);
        bind(table, 1, ip("198.18.0.12"));

        Lease declined = table.decline(ip("198.18.0.12"), client(1), mac(1), now()).orElseThrow();

        assertEquals(LeaseState.DECLINED, declined.state());
        assertEquals(Instant.ofEpochMilli(now()).plus(ServerConfig.DEFAULT_DECLINE_PROBATION), declined.expiry());
        assertFalse(table.isAvailable(subnet, ip("198.18.0.12"), identity(1), Set.of(), now()));
        assertFalse(table.isAvailable(subnet, ip("198.18.0.12"), identity(2), Set.of(), now()));
        assertTrue(table.leaseOf(client(1)).isEmpty(), "the decliner does not come back to it");
        assertEquals(1, subnet.usage().declined());
        assertEquals(0, subnet.usage().bound());
    }

    @Test
    @DisplayName("#24 the quarantine of a declined address ends after the probation")
    void quarantineEnds() {
        LeaseTable table = table(TestConfigs.server(TestConfigs.subnet().build())
                .declineProbation(Duration.ofMinutes(10)).build());
        ServedSubnet subnet = table.subnets().get(0);
        Ipv4Address offered = table.offerFreeAddress(subnet, client(1), Set.of(), now());
        table.decline(offered, client(1), mac(1), now());

        clock.advance(Duration.ofMinutes(10));
        table.expire(now());

        assertTrue(table.isAvailable(subnet, offered, identity(2), Set.of(), now()));
        assertEquals(0, subnet.usage().declined());
        assertEquals(10, subnet.usage().free());
    }

    @Test
    void declineOfAnAddressTheClientDoesNotHoldIsRefused() {
        LeaseTable table = defaultTable();
        bind(table, 1, ip("198.18.0.12"));

        assertTrue(table.decline(ip("198.18.0.12"), client(2), mac(2), now()).isEmpty());
        assertTrue(table.decline(ip("198.18.0.13"), client(2), mac(2), now()).isEmpty());
    }

    @Test
    void versionsOfAnAddressIncreaseAcrossClients() {
        LeaseTable table = defaultTable();
        Lease first = bind(table, 1, ip("198.18.0.12"));
        Lease released = table.release(ip("198.18.0.12"), client(1), now()).orElseThrow();
        Lease second = bind(table, 2, ip("198.18.0.12"));

        assertTrue(released.version().isAfter(first.version()));
        assertTrue(second.version().isAfter(released.version()));
    }

    @Test
    @DisplayName("a node alone writes its versions in no epoch, as their writer, one counter on each change")
    void aNodeAloneWritesInNoEpochAsItsWriter() {
        LeaseTable table = defaultTable();
        NodeId self = new NodeId(1);

        Lease first = bind(table, 1, ip("198.18.0.12"));
        Lease released = table.release(ip("198.18.0.12"), client(1), now()).orElseThrow();
        Lease second = bind(table, 2, ip("198.18.0.12"));
        Lease declined = table.decline(ip("198.18.0.12"), client(2), mac(2), now()).orElseThrow();
        Lease ended = table.remove(ip("198.18.0.12"), now()).orElseThrow();

        assertEquals(new LeaseVersion(LeaseVersion.NO_EPOCH, 1, self), first.version());
        assertEquals(new LeaseVersion(LeaseVersion.NO_EPOCH, 2, self), released.version());
        assertEquals(new LeaseVersion(LeaseVersion.NO_EPOCH, 3, self), second.version());
        assertEquals(new LeaseVersion(LeaseVersion.NO_EPOCH, 4, self), declined.version());
        assertEquals(new LeaseVersion(LeaseVersion.NO_EPOCH, 5, self), ended.version());
        assertEquals(self, ended.writer());
    }

    @Test
    @DisplayName("of two stored leases of one address the higher version is loaded, whatever their order: epoch before counter, then writer")
    void loadKeepsTheHighestVersionOfEachAddress() {
        Instant now = Instant.ofEpochMilli(now());
        Lease olderEpoch = new Lease(ip("198.18.0.10"), client(1), mac(1), Optional.empty(), LeaseState.BOUND,
                now.plusSeconds(60), new LeaseVersion(1, 90, new NodeId(3)));
        Lease newerEpoch = new Lease(ip("198.18.0.10"), client(2), mac(2), Optional.empty(), LeaseState.RELEASED,
                now.minusSeconds(1), new LeaseVersion(2, 5, new NodeId(1)));
        Lease tieLow = new Lease(ip("198.18.0.11"), client(3), mac(3), Optional.empty(), LeaseState.BOUND,
                now.plusSeconds(60), new LeaseVersion(2, 5, new NodeId(1)));
        Lease tieHigh = new Lease(ip("198.18.0.11"), client(4), mac(4), Optional.empty(), LeaseState.BOUND,
                now.plusSeconds(60), new LeaseVersion(2, 5, new NodeId(2)));
        Lease unservedLow = new Lease(ip("198.51.100.1"), client(5), mac(5), Optional.empty(), LeaseState.BOUND,
                now.plusSeconds(60), new LeaseVersion(0, 9, new NodeId(1)));
        Lease unservedHigh = new Lease(ip("198.51.100.1"), client(6), mac(6), Optional.empty(), LeaseState.BOUND,
                now.plusSeconds(60), new LeaseVersion(1, 1, new NodeId(1)));

        for (List<Lease> order : List.of(List.of(olderEpoch, newerEpoch, tieLow, tieHigh, unservedLow, unservedHigh),
                List.of(unservedHigh, unservedLow, tieHigh, tieLow, newerEpoch, olderEpoch))) {
            LeaseTable table = defaultTable();
            table.load(order, now());

            assertEquals(Set.of(newerEpoch, tieHigh, unservedHigh), Set.copyOf(table.leases()));
            assertTrue(table.isAvailable(table.subnets().get(0), ip("198.18.0.10"), identity(9), Set.of(), now()),
                    "the newer, released lease frees the address the older bound");
            assertTrue(table.leaseOf(client(1)).isEmpty());
            assertEquals(Optional.of(tieHigh), table.leaseOf(client(4)));
        }
    }

    @Test
    @DisplayName("a change of a lease loaded from a later epoch keeps that epoch, so that it is above it")
    void aChangeOfALeaseFromALaterEpochStaysAboveIt() {
        LeaseTable table = defaultTable();
        Instant now = Instant.ofEpochMilli(now());
        table.load(List.of(new Lease(ip("198.18.0.10"), client(1), mac(1), Optional.empty(), LeaseState.BOUND,
                now.plusSeconds(60), new LeaseVersion(4, 12, new NodeId(3)))), now());

        Lease released = table.release(ip("198.18.0.10"), client(1), now()).orElseThrow();

        assertEquals(new LeaseVersion(4, 13, new NodeId(1)), released.version());
    }

    @Test
    void bindingAnotherAddressEndsTheClientsOldBinding() {
        LeaseTable table = defaultTable();
        ServedSubnet subnet = table.subnets().get(0);
        bind(table, 1, ip("198.18.0.12"));

        List<Lease> writes = table.bind(subnet, ip("198.18.0.13"), client(1), mac(1), Optional.empty(), Optional.empty(),
                LEASE, now());

        assertEquals(2, writes.size());
        assertEquals(ip("198.18.0.13"), writes.get(0).address());
        assertEquals(ip("198.18.0.12"), writes.get(1).address());
        assertEquals(LeaseState.EXPIRED, writes.get(1).state());
        assertTrue(table.isAvailable(subnet, ip("198.18.0.12"), identity(2), Set.of(), now()));
        assertEquals(1, subnet.usage().bound());
    }

    @Test
    void bindingTheOfferedAddressEndsTheOffer() {
        LeaseTable table = defaultTable();
        ServedSubnet subnet = table.subnets().get(0);
        Ipv4Address offered = table.offerFreeAddress(subnet, client(1), Set.of(), now());

        bind(table, 1, offered);
        clock.advance(ServerConfig.DEFAULT_OFFER_HOLD);
        table.expire(now());

        assertTrue(table.offeredTo(client(1), now()).isEmpty());
        assertFalse(table.isAvailable(subnet, offered, identity(2), Set.of(), now()), "the binding still holds it");
        SubnetUsage usage = subnet.usage();
        assertEquals(1, usage.bound());
        assertEquals(0, usage.offered());
        assertEquals(9, usage.free());
    }

    @Test
    void loadRebuildsHoldsAndBitmaps() {
        LeaseTable table = defaultTable();
        Instant now = Instant.ofEpochMilli(now());
        table.load(List.of(
                new Lease(ip("198.18.0.10"), client(1), mac(1), Optional.empty(), LeaseState.BOUND, now.plusSeconds(60), v(3)),
                new Lease(ip("198.18.0.11"), client(2), mac(2), Optional.empty(), LeaseState.BOUND, now.minusSeconds(60), v(4)),
                new Lease(ip("198.18.0.12"), client(3), mac(3), Optional.empty(), LeaseState.DECLINED, now.plusSeconds(60), v(1)),
                new Lease(ip("198.51.100.1"), client(4), mac(4), Optional.empty(), LeaseState.BOUND, now.plusSeconds(60), v(1))),
                now());
        ServedSubnet subnet = table.subnets().get(0);

        assertFalse(table.isAvailable(subnet, ip("198.18.0.10"), identity(9), Set.of(), now()));
        assertTrue(table.isAvailable(subnet, ip("198.18.0.11"), identity(9), Set.of(), now()));
        assertEquals(ip("198.18.0.11"), table.leaseOf(client(2)).orElseThrow().address(), "expired but remembered");
        assertFalse(table.isAvailable(subnet, ip("198.18.0.12"), identity(9), Set.of(), now()));
        assertTrue(table.leaseAt(ip("198.51.100.1")).isEmpty(), "outside every subnet");
        SubnetUsage usage = subnet.usage();
        assertEquals(1, usage.bound());
        assertEquals(1, usage.declined());
        assertEquals(8, usage.free());
        assertEquals(v(5), bind(table, 9, ip("198.18.0.11")).version());
    }

    @Test
    void loadTwiceIsRefused() {
        LeaseTable table = defaultTable();
        table.load(List.of(), now());

        assertThrows(IllegalStateException.class, () -> table.load(List.of(), now()));
    }

    @Test
    void expiryWithNothingPendingIsFarAway() {
        LeaseTable table = defaultTable();

        assertEquals(Long.MAX_VALUE, table.nextExpiry());
        assertNull(table.subnetContaining(ip("198.19.0.1")));
    }

    private static LeaseTable classPoolTable() {
        return table(TestConfigs.server(TestConfigs.SubnetBuilder.of("198.18.0.0", 24)
                .addClassPool("198.18.0.100", "198.18.0.101", "pxe")
                .addPool("198.18.0.10", "198.18.0.11", DhcpOptions.empty()).build())
                .clientClass("pxe", DhcpOptions.empty(),
                        new ClassCondition.VendorClassPrefix(Octets.of(new byte[] {'P', 'X', 'E'}))).build());
    }

    @Test
    void freeAddressesComeOnlyFromPoolsTheClientsClassesMayUse() {
        LeaseTable table = classPoolTable();
        ServedSubnet subnet = table.subnets().get(0);

        assertEquals(ip("198.18.0.10"), table.offerFreeAddress(subnet, client(1), Set.of(), now()));
        assertEquals(ip("198.18.0.11"), table.offerFreeAddress(subnet, client(2), Set.of(), now()));
        assertNull(table.offerFreeAddress(subnet, client(3), Set.of(), now()), "the class pool is not for everyone");
        assertEquals(ip("198.18.0.100"), table.offerFreeAddress(subnet, client(4), Set.of("pxe"), now()));
        SubnetUsage usage = subnet.usage();
        assertEquals(4, usage.size(), "both pools count");
        assertEquals(1, usage.free());
    }

    @Test
    @DisplayName("usage is reported per pool too: each pool counts its own offered, bound, declined and free addresses")
    void usageIsReportedPerPool() {
        LeaseTable table = classPoolTable();
        ServedSubnet subnet = table.subnets().get(0);
        Ipv4Address offered = table.offerFreeAddress(subnet, client(1), Set.of(), now());
        bind(table, 2, ip("198.18.0.11"));
        Ipv4Address declined = table.offerFreeAddress(subnet, client(3), Set.of("pxe"), now());
        table.decline(declined, client(3), mac(3), now()).orElseThrow();

        SubnetUsage usage = subnet.usage();

        assertEquals(ip("198.18.0.10"), offered);
        assertEquals(ip("198.18.0.100"), declined);
        assertEquals(new PoolRangeUsage(new AddressRange(ip("198.18.0.100"), ip("198.18.0.101")), Optional.of("pxe"),
                2, 0, 0, 1, 1), usage.pools().get(0), "the class pool, first in configuration order");
        assertEquals(new PoolRangeUsage(new AddressRange(ip("198.18.0.10"), ip("198.18.0.11")), Optional.empty(),
                2, 1, 1, 0, 0), usage.pools().get(1));
        assertEquals(1, usage.bound());
        assertEquals(1, usage.offered());
        assertEquals(1, usage.declined());
        assertEquals(1, usage.free());
    }

    @Test
    @DisplayName("a reserved address bound outside every pool counts for its subnet, not for a pool")
    void reservedAddressOutsideThePoolsCountsForTheSubnetOnly() {
        LeaseTable table = table(TestConfigs.server(TestConfigs.subnet()
                .reserveForHardware("02:00:00:00:00:07", "198.18.0.200", null)
                .reserveForHardware("02:00:00:00:00:08", "198.18.0.15", null).build()).build());
        ServedSubnet subnet = table.subnets().get(0);

        bind(table, 7, ip("198.18.0.200"));
        bind(table, 8, ip("198.18.0.15"));
        bind(table, 1, ip("198.18.0.12"));

        SubnetUsage usage = subnet.usage();
        assertEquals(3, usage.bound());
        assertEquals(1, usage.pools().size());
        assertEquals(1, usage.pools().get(0).bound(), "only the dynamic address counts for the pool");
        assertEquals(9, usage.pools().get(0).size(), "the reserved address in the range is not the pool's");
        assertEquals(8, usage.pools().get(0).free());
    }

    @Test
    void classPoolAddressIsAvailableOnlyToMembers() {
        LeaseTable table = classPoolTable();
        ServedSubnet subnet = table.subnets().get(0);

        assertFalse(table.isAvailable(subnet, ip("198.18.0.100"), identity(1), Set.of(), now()));
        assertFalse(table.isAvailable(subnet, ip("198.18.0.100"), identity(1), Set.of("other"), now()));
        assertTrue(table.isAvailable(subnet, ip("198.18.0.100"), identity(1), Set.of("pxe"), now()));
        assertTrue(table.isAvailable(subnet, ip("198.18.0.10"), identity(1), Set.of("pxe"), now()), "open pools are open to members");
    }

    @Test
    void overlappingPoolsAreRefused() {
        ServerConfig config = TestConfigs.server(TestConfigs.subnet().addPool("198.18.0.15", "198.18.0.25").build()).build();

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> table(config));
        assertTrue(refused.getMessage().contains("overlap"), refused.getMessage());
    }

    @Test
    void circuitIdReservedAddressIsAvailableOnlyOnThatCircuit() {
        byte[] circuit = {'p', '7'};
        LeaseTable table = table(TestConfigs.server(TestConfigs.subnet().reserveForCircuitId(circuit, "198.18.0.15")
                .build()).build());
        ServedSubnet subnet = table.subnets().get(0);
        ClientIdentity onCircuit = new ClientIdentity(client(1), mac(1), Optional.of(Octets.of(circuit)), Optional.empty());
        ClientIdentity elsewhere = new ClientIdentity(client(1), mac(1), Optional.of(Octets.of(new byte[] {'p', '8'})),
                Optional.empty());

        assertTrue(table.isAvailable(subnet, ip("198.18.0.15"), onCircuit, Set.of(), now()));
        assertFalse(table.isAvailable(subnet, ip("198.18.0.15"), elsewhere, Set.of(), now()));
        assertFalse(table.isAvailable(subnet, ip("198.18.0.15"), identity(1), Set.of(), now()));
        assertEquals(Optional.of(ip("198.18.0.15")), subnet.reservationFor(onCircuit).map(r -> r.address()));
    }

    @Test
    void twoReservationsForOneRemoteIdAreRefused() {
        ServerConfig config = TestConfigs.server(TestConfigs.subnet()
                .reserveForRemoteId(new byte[] {4, 2}, "198.18.0.50")
                .reserveForRemoteId(new byte[] {4, 2}, "198.18.0.51").build()).build();

        assertThrows(IllegalArgumentException.class, () -> table(config));
    }

    @Test
    @DisplayName("#17 a client repeating its DISCOVER keeps one pending expiry, and its offer ends a hold after the last")
    void repeatedOffersToOneClientKeepOnePendingExpiry() {
        LeaseTable table = defaultTable();
        ServedSubnet subnet = table.subnets().get(0);
        Ipv4Address offered = table.offerFreeAddress(subnet, client(1), Set.of(), now());
        for (int i = 0; i < 100_000; i++) {
            clock.advance(Duration.ofMillis(1));
            table.expire(now());
            table.offer(subnet, offered, client(1), now());
        }
        long lastOffer = now();

        assertTrue(table.pendingExpiries() <= 2, table.pendingExpiries() + " pending expiries");
        clock.advanceTo(lastOffer + ServerConfig.DEFAULT_OFFER_HOLD.toMillis() - 1);
        table.expire(now());
        assertEquals(Optional.of(offered), table.offeredTo(client(1), now()));
        assertEquals(lastOffer + ServerConfig.DEFAULT_OFFER_HOLD.toMillis(), table.nextExpiry());

        clock.advance(Duration.ofMillis(1));
        table.expire(now());
        assertEquals(10, subnet.usage().free());
        assertEquals(0, table.pendingExpiries());
    }

    @Test
    void repeatedRenewalsKeepOnePendingExpiryAndTheLeaseEndsAtTheLast() {
        LeaseTable table = defaultTable();
        ServedSubnet subnet = table.subnets().get(0);
        Ipv4Address address = ip("198.18.0.12");
        for (int i = 0; i < 100_000; i++) {
            clock.advance(Duration.ofMillis(1));
            table.expire(now());
            bind(table, 1, address);
        }
        long lastRenewal = now();

        assertTrue(table.pendingExpiries() <= 2, table.pendingExpiries() + " pending expiries");
        clock.advanceTo(lastRenewal + LEASE.toMillis() - 1);
        table.expire(now());
        assertEquals(1, subnet.usage().bound());

        clock.advance(Duration.ofMillis(1));
        table.expire(now());
        assertEquals(0, subnet.usage().bound());
        assertEquals(0, table.pendingExpiries());
    }

    @Test
    void anEarlierEndTakesEffectAtItsOwnTime() {
        LeaseTable table = defaultTable();
        ServedSubnet subnet = table.subnets().get(0);
        Ipv4Address address = ip("198.18.0.12");
        bind(table, 1, address);

        // The same address bound again with a shorter lease: the earlier end counts.
        table.bind(subnet, address, client(1), mac(1), Optional.empty(), Optional.empty(), Duration.ofMinutes(5), now());

        assertEquals(now() + Duration.ofMinutes(5).toMillis(), table.nextExpiry());
        clock.advance(Duration.ofMinutes(5));
        table.expire(now());
        assertEquals(0, subnet.usage().bound());
        assertEquals(10, subnet.usage().free());
    }

    @Test
    @DisplayName("a reconfigured table holds every lease: live, ended, declined, and those of a removed subnet")
    void reconfiguredKeepsEveryLease() {
        ServerConfig two = TestConfigs.server(TestConfigs.subnet().build(),
                TestConfigs.SubnetBuilder.of("198.18.4.0", 24).pool("198.18.4.10", "198.18.4.19").build()).build();
        LeaseTable table = table(two);
        Instant now = Instant.ofEpochMilli(now());
        List<Lease> stored = List.of(
                new Lease(ip("198.18.0.10"), client(1), mac(1), Optional.empty(), LeaseState.BOUND, now.plusSeconds(60), v(3)),
                new Lease(ip("198.18.0.11"), client(2), mac(2), Optional.empty(), LeaseState.EXPIRED, now.minusSeconds(60), v(4)),
                new Lease(ip("198.18.0.12"), client(3), mac(3), Optional.empty(), LeaseState.DECLINED, now.plusSeconds(60), v(1)),
                new Lease(ip("198.18.4.10"), client(4), mac(4), Optional.empty(), LeaseState.BOUND, now.plusSeconds(60), v(2)));
        table.load(stored, now());

        LeaseTable narrowed = table.reconfigured(TestConfigs.server(TestConfigs.subnet().build()).build(), now());

        assertEquals(Set.copyOf(stored), Set.copyOf(narrowed.leases()), "the removed subnet's lease is kept, unserved");
        assertEquals(1, narrowed.subnets().size());
        assertTrue(narrowed.leaseAt(ip("198.18.4.10")).isEmpty(), "no look-up finds it");
        assertEquals(1, narrowed.subnets().get(0).usage().bound());
        assertEquals(1, narrowed.subnets().get(0).usage().declined());
        assertEquals(4, table.leases().size(), "the old table is left as it was");

        LeaseTable widened = narrowed.reconfigured(two, now());

        assertEquals(Set.copyOf(stored), Set.copyOf(widened.leases()));
        assertEquals(1, widened.subnets().get(1).usage().bound(), "back in service");
        assertFalse(widened.isAvailable(widened.subnets().get(1), ip("198.18.4.10"), identity(9), Set.of(), now()));
    }

    @Test
    @DisplayName("a reconfigured table keeps an offer only while its address may still be offered")
    void reconfiguredKeepsValidOffers() {
        LeaseTable table = defaultTable();
        ServedSubnet subnet = table.subnets().get(0);
        table.offer(subnet, ip("198.18.0.10"), client(1), now());
        table.offer(subnet, ip("198.18.0.15"), client(2), now());

        LeaseTable next = table.reconfigured(TestConfigs.server(TestConfigs.subnet()
                .pool("198.18.0.10", "198.18.0.12").build()).build(), now());

        assertEquals(Optional.of(ip("198.18.0.10")), next.offeredTo(client(1), now()));
        assertTrue(next.offeredTo(client(2), now()).isEmpty(), "198.18.0.15 is no longer in a pool");
        assertEquals(1, next.subnets().get(0).usage().offered());
        assertEquals(2, next.subnets().get(0).usage().free());
        assertTrue(next.leases().isEmpty(), "offers are not leases");
    }
}
