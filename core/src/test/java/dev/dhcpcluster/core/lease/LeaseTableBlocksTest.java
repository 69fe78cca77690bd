package dev.dhcpcluster.core.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.ClientIdentity;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.pool.AddressBlock;
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
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The lease table over pools whose address blocks this node owns only in part. */
class LeaseTableBlocksTest {

    private final ManualClock clock = new ManualClock();

    /** 198.18.0.0/23 with one pool 198.18.0.10 - 198.18.1.200: two blocks, the second partial. */
    private static final ServerConfig CONFIG = TestConfigs.server(TestConfigs.SubnetBuilder.of("198.18.0.0", 23)
            .pool("198.18.0.10", "198.18.1.200").build()).build();
    private static final AddressBlock FIRST = new AddressBlock(ip("198.18.0.10"), ip("198.18.1.9"));
    private static final AddressBlock SECOND = new AddressBlock(ip("198.18.1.10"), ip("198.18.1.200"));

    private static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }

    private static HardwareAddress mac(int n) {
        return HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, (byte) (n >> 8), (byte) n});
    }

    private static ClientKey client(int n) {
        return ClientKey.ofHardware(mac(n));
    }

    private long now() {
        return clock.millis();
    }

    @Test
    @DisplayName("#10 a subnet lists the blocks of its pools, and owns them all when it is built")
    void subnetOwnsEveryBlockAtFirst() {
        ServedSubnet subnet = new LeaseTable(CONFIG).subnets().get(0);

        assertEquals(List.of(FIRST, SECOND), subnet.blocks());
        assertTrue(subnet.owns(FIRST));
        assertTrue(subnet.owns(SECOND));
        assertEquals(Optional.of(SECOND), subnet.blockOf(ip("198.18.1.10")));
        assertEquals(Optional.empty(), subnet.blockOf(ip("198.18.1.201")));
        assertThrows(IllegalArgumentException.class,
                () -> subnet.grant(new AddressBlock(ip("198.18.1.201"), ip("198.18.1.210"))));
    }

    @Test
    @DisplayName("the blocks are listed per subnet, in configuration order, so that the cluster deals each subnet's "
            + "blocks on their own; a subnet without pools lists none")
    void blocksAreListedPerSubnet() {
        ServerConfig two = TestConfigs.server(
                TestConfigs.SubnetBuilder.of("198.18.64.0", 24).pool("198.18.64.100", "198.18.64.200").build(),
                TestConfigs.SubnetBuilder.of("198.18.0.0", 23).pool("198.18.0.10", "198.18.1.200").build(),
                TestConfigs.SubnetBuilder.of("198.18.128.0", 24).build()).build();
        LeaseTable table = new LeaseTable(two);

        assertEquals(List.of(List.of(ip("198.18.64.100")), List.of(FIRST.first(), SECOND.first()), List.of()),
                table.blockIdsBySubnet());
        assertEquals(List.of(ip("198.18.64.100"), FIRST.first(), SECOND.first()), table.blockIds());
    }

    @Test
    @DisplayName("the free addresses of given blocks are counted in each block's own subnet, owned or not; an id "
            + "that is no block's counts nothing")
    void freeAddressesAreCountedPerGivenBlock() {
        ServerConfig two = TestConfigs.server(
                TestConfigs.SubnetBuilder.of("198.18.0.0", 23).pool("198.18.0.10", "198.18.1.200").build(),
                TestConfigs.SubnetBuilder.of("198.18.64.0", 24).pool("198.18.64.100", "198.18.64.200").build())
                .build();
        LeaseTable table = new LeaseTable(two);
        ServedSubnet b = table.subnets().get(1);
        table.bind(b, ip("198.18.64.150"), client(1), mac(1), Optional.empty(), Optional.empty(),
                TestConfigs.LEASE, now());
        table.subnets().get(0).withdraw(SECOND);

        assertEquals(FIRST.size(), table.freeIn(Set.of(FIRST.first())));
        assertEquals(SECOND.size(), table.freeIn(Set.of(SECOND.first())), "a block not owned counts its free too");
        assertEquals(101 - 1, table.freeIn(Set.of(ip("198.18.64.100"))), "one of its 101 addresses is bound");
        assertEquals(FIRST.size() + 100, table.freeIn(Set.of(FIRST.first(), ip("198.18.64.100"))));
        assertEquals(0, table.freeIn(Set.of(ip("198.18.64.101"), ip("198.18.0.0"), ip("198.18.200.0"))),
                "inside a block, before a pool, outside every subnet: none is a block's id");
    }

    @Test
    @DisplayName("#10 a node whose only free addresses lie in blocks it does not own offers nothing: the pool is exhausted")
    void noOfferFromABlockNotOwned() {
        LeaseTable table = new LeaseTable(CONFIG);
        ServedSubnet subnet = table.subnets().get(0);
        subnet.withdraw(FIRST);
        for (int n = 0; n < SECOND.size(); n++) {
            Ipv4Address offered = table.offerFreeAddress(subnet, client(n), Set.of(), now());
            assertNotNull(offered, "offer " + n);
            assertTrue(SECOND.contains(offered), "offered " + offered + " of a block not owned");
        }

        assertNull(table.offerFreeAddress(subnet, client(9999), Set.of(), now()));
        SubnetUsage usage = subnet.usage();
        assertEquals(FIRST.size(), usage.free(), "the first block's addresses are all free");
        assertEquals(0, usage.ownedFree());
    }

    @Test
    @DisplayName("#10 a lease a peer wrote in a block this node does not own holds its address here too")
    void peerLeaseInAForeignBlockHoldsItsAddress() {
        LeaseTable table = new LeaseTable(CONFIG);
        ServedSubnet subnet = table.subnets().get(0);
        subnet.withdraw(SECOND);
        Lease peers = new Lease(ip("198.18.1.10"), client(1), mac(1), Optional.empty(), LeaseState.BOUND,
                Instant.ofEpochMilli(now()).plusSeconds(600), LeaseVersion.first(LeaseVersion.NO_EPOCH, new NodeId(2)));
        table.load(List.of(peers), now());

        subnet.grant(SECOND);

        assertEquals(1, subnet.usage().bound());
        assertFalse(table.isAvailable(subnet, ip("198.18.1.10"), ClientIdentity.of(client(2), mac(2)), Set.of(), now()));
        for (int n = 2; n < 2 + 400; n++) {
            Ipv4Address offered = table.offerFreeAddress(subnet, client(n), Set.of(), now());
            if (offered == null) {
                break;
            }
            assertFalse(offered.equals(ip("198.18.1.10")), "the peer's address was offered again");
        }
    }

    @Test
    @DisplayName("#10 a lease of a block not owned ends as any other, and its address is free again")
    void leaseInAForeignBlockEnds() {
        LeaseTable table = new LeaseTable(CONFIG);
        ServedSubnet subnet = table.subnets().get(0);
        table.bind(subnet, ip("198.18.1.20"), client(1), mac(1), Optional.empty(), Optional.empty(),
                TestConfigs.LEASE, now());
        subnet.withdraw(SECOND);
        int freeBefore = subnet.usage().free();

        clock.advance(TestConfigs.LEASE.plusSeconds(1));
        table.expire(now());

        assertEquals(freeBefore + 1, subnet.usage().free());
        assertEquals(0, subnet.usage().bound());
        assertEquals(subnet.usage().pools().get(0).free() - SECOND.size(), subnet.usage().ownedFree());
    }

    @Test
    @DisplayName("#10 the usage of a pool counts its blocks, those this node owns, and the free addresses in them")
    void usageCountsOwnedBlocks() {
        LeaseTable table = new LeaseTable(CONFIG);
        ServedSubnet subnet = table.subnets().get(0);
        subnet.withdraw(SECOND);

        PoolRangeUsage pool = subnet.usage().pools().get(0);

        assertEquals(256 + 191, pool.free());
        assertEquals(2, pool.blocks());
        assertEquals(1, pool.ownedBlocks());
        assertEquals(256, pool.ownedFree());
        assertEquals(1, table.usage().ownedBlocks());
        assertEquals(256, table.usage().ownedFree());
    }

    @Test
    @DisplayName("#10 a reconfigured table keeps the blocks this node does not own withdrawn")
    void reconfiguredKeepsForeignBlocksWithdrawn() {
        LeaseTable table = new LeaseTable(CONFIG);
        table.subnets().get(0).withdraw(SECOND);

        LeaseTable next = table.reconfigured(CONFIG, now());

        assertTrue(next.subnets().get(0).owns(FIRST));
        assertFalse(next.subnets().get(0).owns(SECOND));
    }
}
