package dev.dhcpcluster.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClientSessionTest {

    private static final HardwareAddress MAC = HardwareAddress.parseEthernet("02:00:00:00:00:07");
    private static final Ipv4Address RELAY = Ipv4Address.parse("127.0.0.2");
    private static final Ipv4Address OFFERED = Ipv4Address.parse("198.18.1.9");

    private final ClientSession session = new ClientSession(7, MAC, RELAY, 2,
            Optional.of(Ipv4Prefix.parse("198.18.0.0/16")));

    @Test
    void theDiscoverLooksRelayed() {
        DhcpMessage discover = session.discover(0x1234);

        assertEquals(Optional.of(DhcpMessageType.DISCOVER), discover.messageType());
        assertEquals(DhcpMessage.BOOTREQUEST, discover.op());
        assertEquals(0x1234, discover.xid());
        assertEquals(RELAY, discover.giaddr());
        assertEquals(1, discover.hops());
        assertEquals(MAC, discover.hardwareAddress());
        assertEquals(ClientSession.Phase.DISCOVERING, session.phase());
    }

    @Test
    void anOfferIsAnsweredByASelectingRequestInTheSameTransaction() {
        DhcpMessage discover = session.discover(0x1234);

        DhcpMessage request = sent(session.onReply(FakeServer.reply(discover, DhcpMessageType.OFFER, OFFERED)));

        assertEquals(Optional.of(DhcpMessageType.REQUEST), request.messageType());
        assertEquals(0x1234, request.xid());
        assertEquals(Optional.of(OFFERED), request.options().address(OptionCode.REQUESTED_ADDRESS));
        assertEquals(Optional.of(FakeServer.SERVER_ID), request.options().address(OptionCode.SERVER_IDENTIFIER));
        assertEquals(Ipv4Address.ZERO, request.ciaddr());
        assertEquals(RELAY, request.giaddr());
        assertEquals(ClientSession.Phase.REQUESTING, session.phase());
    }

    @Test
    void anAckForTheOfferedAddressBindsIt() {
        DhcpMessage request = requestAfterOffer();

        Reaction reaction = session.onReply(FakeServer.reply(request, DhcpMessageType.ACK, OFFERED));

        assertEquals(new Reaction.Bound(OFFERED, Duration.ofSeconds(600)), reaction);
        assertEquals(OFFERED, session.address());
        assertEquals(ClientSession.Phase.BOUND, session.phase());
    }

    @Test
    void aNakIsAFailureMarkedAsNak() {
        DhcpMessage request = requestAfterOffer();

        Reaction reaction = session.onReply(FakeServer.reply(request, DhcpMessageType.NAK, Ipv4Address.ZERO));

        Reaction.Failed failed = assertInstanceOf(Reaction.Failed.class, reaction);
        assertTrue(failed.nak());
        assertTrue(failed.reason().contains("DHCPNAK to a REQUEST for 198.18.1.9"), failed.reason());
        assertEquals(ClientSession.Phase.FAILED, session.phase());
    }

    @Test
    void aNaksMessageIsQuotedEscapedSoTheReportStaysOneLinePerFailure() {
        DhcpMessage request = requestAfterOffer();
        DhcpMessage nak = FakeServer.reply(request, DhcpMessageType.NAK, Ipv4Address.ZERO);
        nak = nak.toBuilder().options(nak.options().toBuilder()
                .string(OptionCode.MESSAGE, "no\nFAILED fake line \u001b[2J").build()).build();

        Reaction.Failed failed = assertInstanceOf(Reaction.Failed.class, session.onReply(nak));

        assertTrue(failed.reason().endsWith("(\"no\\nFAILED fake line \\x1B[2J\")"), failed.reason());
    }

    @Test
    void aReplyToAnotherTransactionIsIgnored() {
        DhcpMessage discover = session.discover(0x1234);
        DhcpMessage other = FakeServer.reply(discover.toBuilder().xid(0x9999).build(), DhcpMessageType.OFFER, OFFERED);

        assertInstanceOf(Reaction.Ignored.class, session.onReply(other));
        assertEquals(ClientSession.Phase.DISCOVERING, session.phase());
    }

    @Test
    void aReplyForAnotherHardwareAddressIsIgnored() {
        DhcpMessage discover = session.discover(0x1234);
        DhcpMessage forOther = discover.toBuilder()
                .hardwareAddress(HardwareAddress.parseEthernet("02:00:00:00:00:08")).build();

        assertInstanceOf(Reaction.Ignored.class,
                session.onReply(FakeServer.reply(forOther, DhcpMessageType.OFFER, OFFERED)));
    }

    @Test
    void aSecondOfferAfterTheRequestIsIgnored() {
        DhcpMessage request = requestAfterOffer();

        assertInstanceOf(Reaction.Ignored.class,
                session.onReply(FakeServer.reply(request, DhcpMessageType.OFFER, OFFERED.plus(1))));
        assertEquals(ClientSession.Phase.REQUESTING, session.phase());
    }

    @Test
    void anAckWithoutLeaseTimeFails() {
        DhcpMessage request = requestAfterOffer();
        DhcpMessage ack = FakeServer.reply(request, DhcpMessageType.ACK, OFFERED);
        DhcpMessage withoutLeaseTime = ack.toBuilder()
                .options(ack.options().toBuilder().remove(OptionCode.LEASE_TIME).build()).build();

        Reaction.Failed failed = assertInstanceOf(Reaction.Failed.class, session.onReply(withoutLeaseTime));
        assertTrue(failed.reason().contains("without a lease time"), failed.reason());
    }

    @Test
    void anAckWithoutServerIdentifierFails() {
        DhcpMessage request = requestAfterOffer();
        DhcpMessage ack = FakeServer.reply(request, DhcpMessageType.ACK, OFFERED);
        DhcpMessage withoutId = ack.toBuilder()
                .options(ack.options().toBuilder().remove(OptionCode.SERVER_IDENTIFIER).build()).build();

        assertTrue(assertInstanceOf(Reaction.Failed.class, session.onReply(withoutId)).reason()
                .contains("without a server identifier"));
    }

    @Test
    void anAckOutsideTheExpectedSubnetFails() {
        Ipv4Address outside = Ipv4Address.parse("198.19.0.5");
        DhcpMessage discover = session.discover(1);
        DhcpMessage request = sent(session.onReply(FakeServer.reply(discover, DhcpMessageType.OFFER, outside)));

        Reaction.Failed failed = assertInstanceOf(Reaction.Failed.class,
                session.onReply(FakeServer.reply(request, DhcpMessageType.ACK, outside)));
        assertTrue(failed.reason().contains("outside the expected subnet 198.18.0.0/16"), failed.reason());
    }

    @Test
    void anAckForAnotherAddressThanRequestedFails() {
        DhcpMessage request = requestAfterOffer();

        assertInstanceOf(Reaction.Failed.class,
                session.onReply(FakeServer.reply(request, DhcpMessageType.ACK, OFFERED.plus(1))));
    }

    @Test
    void anOfferWithoutServerIdentifierFails() {
        DhcpMessage discover = session.discover(1);
        DhcpMessage offer = FakeServer.reply(discover, DhcpMessageType.OFFER, OFFERED);
        DhcpMessage broken = offer.toBuilder().options(DhcpOptions.builder().messageType(DhcpMessageType.OFFER).build())
                .build();

        assertInstanceOf(Reaction.Failed.class, session.onReply(broken));
    }

    @Test
    void aTimeoutResendsTheSameRequestUntilTheRetriesAreSpent() {
        DhcpMessage discover = session.discover(1);

        assertSame(discover, sent(session.onTimeout()));
        assertSame(discover, sent(session.onTimeout()));
        Reaction.Failed failed = assertInstanceOf(Reaction.Failed.class, session.onTimeout());

        assertEquals("no DHCPOFFER after 3 attempts", failed.reason());
        assertTrue(!failed.nak());
    }

    @Test
    void theRequestHasItsOwnRetries() {
        DhcpMessage discover = session.discover(1);
        session.onTimeout();
        session.onTimeout();
        DhcpMessage request = sent(session.onReply(FakeServer.reply(discover, DhcpMessageType.OFFER, OFFERED)));

        assertSame(request, sent(session.onTimeout()));
        assertSame(request, sent(session.onTimeout()));
        assertEquals("no DHCPACK after 3 attempts",
                assertInstanceOf(Reaction.Failed.class, session.onTimeout()).reason());
    }

    @Test
    void aRenewalThatKeepsTheAddressSucceeds() {
        bind();

        DhcpMessage renew = session.renew(0x55);

        assertEquals(OFFERED, renew.ciaddr());
        assertEquals(Optional.empty(), renew.options().address(OptionCode.REQUESTED_ADDRESS));
        assertEquals(Optional.empty(), renew.options().address(OptionCode.SERVER_IDENTIFIER));
        assertEquals(RELAY, renew.giaddr());
        assertEquals(new Reaction.Renewed(OFFERED, Duration.ofSeconds(600)),
                session.onReply(FakeServer.reply(renew, DhcpMessageType.ACK, OFFERED)));
    }

    @Test
    void aRenewalThatMovesTheAddressFails() {
        bind();
        DhcpMessage renew = session.renew(0x55);

        Reaction.Failed failed = assertInstanceOf(Reaction.Failed.class,
                session.onReply(FakeServer.reply(renew, DhcpMessageType.ACK, OFFERED.plus(3))));
        assertTrue(failed.reason().contains("moved the lease from 198.18.1.9 to 198.18.1.12"), failed.reason());
    }

    @Test
    @DisplayName("a held lease renews RENEWING: a REQUEST of the client's own, not relayed, naming no server")
    void aHeldLeaseRenewsStraightToItsServer() {
        ClientSession holder = ClientSession.holding(3, new HeldLease(MAC, OFFERED, FakeServer.SERVER_ID), RELAY, 2,
                Optional.empty());
        assertEquals(ClientSession.Phase.BOUND, holder.phase());
        assertEquals(FakeServer.SERVER_ID, holder.serverIdentifier());

        DhcpMessage renewing = holder.renewUnicast(0x66, 1);

        assertEquals(Optional.of(DhcpMessageType.REQUEST), renewing.messageType());
        assertEquals(OFFERED, renewing.ciaddr());
        assertEquals(Ipv4Address.ZERO, renewing.giaddr());
        assertEquals(0, renewing.hops());
        assertEquals(Optional.empty(), renewing.options().address(OptionCode.SERVER_IDENTIFIER));
        assertEquals(Optional.empty(), renewing.options().address(OptionCode.REQUESTED_ADDRESS));
        assertEquals(new Reaction.Renewed(OFFERED, Duration.ofSeconds(600)),
                holder.onReply(FakeServer.reply(renewing, DhcpMessageType.ACK, OFFERED)));
        assertEquals(ClientSession.Phase.BOUND, holder.phase());
    }

    @Test
    @DisplayName("a silent server: the RENEWING REQUEST is sent again, then the client rebinds through the relay and "
            + "takes the ACK of another server, whose identifier it keeps")
    void aSilentServerMakesTheClientRebind() {
        ClientSession holder = ClientSession.holding(3, new HeldLease(MAC, OFFERED, FakeServer.SERVER_ID), RELAY, 1,
                Optional.empty());
        DhcpMessage renewing = holder.renewUnicast(0x66, 1);

        assertSame(renewing, sent(holder.onTimeout()));
        DhcpMessage rebinding = sent(holder.onTimeout());

        assertEquals(ClientSession.Phase.REBINDING, holder.phase());
        assertEquals(0x66, rebinding.xid());
        assertEquals(OFFERED, rebinding.ciaddr());
        assertEquals(RELAY, rebinding.giaddr());
        assertEquals(1, rebinding.hops());
        assertEquals(Optional.empty(), rebinding.options().address(OptionCode.SERVER_IDENTIFIER));
        Ipv4Address survivor = Ipv4Address.parse("198.18.0.3");
        DhcpMessage ack = FakeServer.reply(rebinding, DhcpMessageType.ACK, OFFERED);
        DhcpMessage fromSurvivor = DhcpMessage.builder().op(ack.op()).xid(ack.xid()).giaddr(ack.giaddr())
                .hardwareAddress(ack.hardwareAddress()).yiaddr(ack.yiaddr())
                .options(DhcpOptions.builder().messageType(DhcpMessageType.ACK)
                        .address(OptionCode.SERVER_IDENTIFIER, survivor).uint32(OptionCode.LEASE_TIME, 600).build())
                .build();
        assertEquals(new Reaction.Renewed(OFFERED, Duration.ofSeconds(600)), holder.onReply(fromSurvivor));
        assertEquals(survivor, holder.serverIdentifier());
    }

    @Test
    @DisplayName("a rebinding client that no server answers gives up after its retries")
    void aRebindingClientGivesUp() {
        ClientSession holder = ClientSession.holding(3, new HeldLease(MAC, OFFERED, FakeServer.SERVER_ID), RELAY, 1,
                Optional.empty());
        holder.renewUnicast(0x66, 0);
        DhcpMessage rebinding = sent(holder.onTimeout());

        assertSame(rebinding, sent(holder.onTimeout()));
        assertEquals("no DHCPACK after 2 attempts",
                assertInstanceOf(Reaction.Failed.class, holder.onTimeout()).reason());
    }

    @Test
    void aReleaseNamesTheAddressAndTheServer() {
        bind();

        DhcpMessage release = session.release(0x77);

        assertEquals(Optional.of(DhcpMessageType.RELEASE), release.messageType());
        assertEquals(OFFERED, release.ciaddr());
        assertEquals(Optional.of(FakeServer.SERVER_ID), release.options().address(OptionCode.SERVER_IDENTIFIER));
    }

    private DhcpMessage requestAfterOffer() {
        DhcpMessage discover = session.discover(0x1234);
        return sent(session.onReply(FakeServer.reply(discover, DhcpMessageType.OFFER, OFFERED)));
    }

    private void bind() {
        DhcpMessage request = requestAfterOffer();
        assertInstanceOf(Reaction.Bound.class, session.onReply(FakeServer.reply(request, DhcpMessageType.ACK, OFFERED)));
    }

    private static DhcpMessage sent(Reaction reaction) {
        return assertInstanceOf(Reaction.Send.class, reaction).message();
    }
}
