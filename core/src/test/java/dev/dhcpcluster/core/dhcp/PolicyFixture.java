package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.lease.LeaseTable;
import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import java.util.List;
import java.util.Optional;

/** A policy over a fresh lease table and a virtual clock, with short ways to ask it and read its answers. */
final class PolicyFixture {

    /** The address requests arrive on by default: the server's own, in the default subnet. */
    static final Ipv4Address LOCAL = TestConfigs.SERVER;

    final ManualClock clock = new ManualClock();
    final ServerConfig config;
    final LeaseTable table;
    final DhcpPolicy policy;

    PolicyFixture() {
        this(TestConfigs.server(TestConfigs.subnet().build()).build());
    }

    PolicyFixture(ServerConfig config) {
        this.config = config;
        this.table = new LeaseTable(config);
        this.policy = new DhcpPolicy(config, table);
    }

    Decision decide(DhcpMessage request) {
        return policy.decide(request, LOCAL, clock.millis());
    }

    Decision decide(DhcpMessage request, Ipv4Address local) {
        return policy.decide(request, local, clock.millis());
    }

    /** The request as it arrives on the interface named {@code interfaceName}, with address {@code local}. */
    Decision decide(DhcpMessage request, Ipv4Address local, String interfaceName) {
        return policy.decide(request, local, Optional.of(interfaceName), clock.millis());
    }

    /** The reply of a decision that sends one, now or once durable. */
    static Decision.Reply replyOf(Decision decision) {
        if (decision instanceof Decision.Reply reply) {
            return reply;
        }
        if (decision instanceof Decision.ReplyWhenDurable durable) {
            return durable.reply();
        }
        return fail("expected a reply, got " + decision);
    }

    /** The reply message, checked to be of {@code type}. */
    static DhcpMessage reply(Decision decision, DhcpMessageType type) {
        DhcpMessage message = replyOf(decision).message();
        assertEquals(type, message.messageType().orElseThrow(), () -> "reply " + message);
        return message;
    }

    /** The leases an ACK waits for. */
    static List<Lease> writesOf(Decision decision) {
        if (decision instanceof Decision.ReplyWhenDurable durable) {
            return durable.writes();
        }
        return fail("expected an ACK that waits for the store, got " + decision);
    }

    static void assertDropped(DropReason reason, Decision decision) {
        if (!(decision instanceof Decision.Drop drop)) {
            fail("expected a drop for " + reason + ", got " + decision);
            return;
        }
        assertEquals(reason, drop.reason(), drop.detail());
    }

    /** DISCOVER then REQUEST of the offered address, as a new client does: the ACK's decision. */
    Decision lease(String mac) {
        DhcpMessage offer = reply(decide(TestPackets.discover().withHardwareAddress(mac).build()),
                DhcpMessageType.OFFER);
        return decide(TestPackets.request().withHardwareAddress(mac)
                .withRequestedAddress(offer.yiaddr().toString()).withServerIdentifier(LOCAL.toString()).build());
    }

    /** The address a new client ends up bound to. */
    Ipv4Address leaseAddress(String mac) {
        return reply(lease(mac), DhcpMessageType.ACK).yiaddr();
    }
}
