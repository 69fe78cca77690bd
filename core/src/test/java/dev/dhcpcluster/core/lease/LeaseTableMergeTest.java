package dev.dhcpcluster.core.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.ClientIdentity;
import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link LeaseTable#merge}: a peer's lease taken in, the highest version kept, the pool in step. */
class LeaseTableMergeTest {

    private static final Ipv4Address ADDRESS = Ipv4Address.parse("198.18.0.12");
    private final ManualClock clock = new ManualClock();
    private final LeaseTable table = new LeaseTable(TestConfigs.server(TestConfigs.subnet().build()).build());

    private static HardwareAddress mac(int n) {
        return HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, 0, (byte) n});
    }

    private static ClientKey client(int n) {
        return ClientKey.ofHardware(mac(n));
    }

    private Lease lease(int client, LeaseState state, long counter, int writer) {
        return new Lease(ADDRESS, client(client), mac(client), Optional.empty(), state,
                Instant.ofEpochMilli(clock.millis()).plus(TestConfigs.LEASE), new LeaseVersion(1, counter, new NodeId(writer)));
    }

    private boolean free(int client) {
        return table.isAvailable(table.subnets().get(0), ADDRESS, ClientIdentity.of(client(client), mac(client)),
                Set.of(), clock.millis());
    }

    @Test
    @DisplayName("a peer's binding takes the address from the free set and is found by its client")
    void aPeersBindingHoldsTheAddress() {
        int freeBefore = table.subnets().get(0).usage().free();
        assertTrue(table.merge(lease(1, LeaseState.BOUND, 1, 2), clock.millis()));
        assertEquals(freeBefore - 1, table.subnets().get(0).usage().free());
        assertEquals(1, table.subnets().get(0).usage().bound());
        assertFalse(free(2));
        assertEquals(ADDRESS, table.leaseOf(client(1)).orElseThrow().address());
    }

    @Test
    @DisplayName("the highest version stays, whatever order the versions arrive in")
    void theHighestVersionStays() {
        Lease bound = lease(1, LeaseState.BOUND, 1, 2);
        Lease released = lease(1, LeaseState.RELEASED, 2, 3);
        assertTrue(table.merge(released, clock.millis()));
        assertFalse(table.merge(bound, clock.millis()));
        assertFalse(table.merge(released, clock.millis()));
        assertEquals(released, table.leaseAt(ADDRESS).orElseThrow());
        assertTrue(free(2));
        assertEquals(0, table.subnets().get(0).usage().bound());
    }

    @Test
    @DisplayName("a newer lease of another client moves the address to that client and frees it for no one")
    void aNewerLeaseOfAnotherClientReplacesTheOld() {
        table.merge(lease(1, LeaseState.RELEASED, 1, 2), clock.millis());
        assertTrue(free(3));
        assertTrue(table.merge(lease(2, LeaseState.BOUND, 2, 1), clock.millis()));
        assertFalse(free(3));
        assertTrue(table.leaseOf(client(1)).isEmpty());
        assertEquals(ADDRESS, table.leaseOf(client(2)).orElseThrow().address());
    }

    @Test
    @DisplayName("a peer's lease outside every served subnet is kept aside and changes no pool")
    void aLeaseOutsideTheSubnetsIsKeptAside() {
        Lease outside = new Lease(Ipv4Address.parse("198.19.5.5"), client(1), mac(1), Optional.empty(), LeaseState.BOUND,
                Instant.ofEpochMilli(clock.millis()).plus(TestConfigs.LEASE), new LeaseVersion(1, 1, new NodeId(2)));
        int freeBefore = table.subnets().get(0).usage().free();
        assertTrue(table.merge(outside, clock.millis()));
        assertFalse(table.merge(outside, clock.millis()));
        assertEquals(freeBefore, table.subnets().get(0).usage().free());
        assertTrue(table.leases().contains(outside));
    }
}
