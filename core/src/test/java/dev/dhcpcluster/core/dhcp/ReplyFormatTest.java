package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.PolicyFixture.assertDropped;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.reply;
import static dev.dhcpcluster.core.dhcp.TestPackets.discover;
import static dev.dhcpcluster.core.dhcp.TestPackets.inform;
import static dev.dhcpcluster.core.dhcp.TestPackets.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReplyFormatTest {

    private static final String MAC = "02:00:00:00:00:01";
    private static final byte[] CLIENT_ID = {0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, (byte) 0xff};

    private final PolicyFixture fixture = new PolicyFixture();

    private DhcpMessage nak() {
        return reply(fixture.decide(request().withHardwareAddress(MAC).withRequestedAddress("198.19.9.9").withClientId(CLIENT_ID).withXid(77).build()),
                DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#1 a reply is a BOOTREPLY with hops and secs 0 and the request's xid, flags, giaddr and chaddr")
    void replyHeaderCopiesTheRequest() {
        DhcpMessage request = discover().withHardwareAddress(MAC).withXid(0xCAFE).withHops(3).withSecs(9).withBroadcastFlag().withGiaddr("198.18.0.254").build();

        DhcpMessage offer = reply(fixture.decide(request), DhcpMessageType.OFFER);

        assertEquals(DhcpMessage.BOOTREPLY, offer.op());
        assertEquals(0, offer.hops());
        assertEquals(0, offer.secs());
        assertEquals(0xCAFE, offer.xid());
        assertEquals(DhcpMessage.FLAG_BROADCAST, offer.flags());
        assertEquals(request.giaddr(), offer.giaddr());
        assertArrayEquals(request.chaddr(), offer.chaddr());
        assertEquals(request.hardwareAddress(), offer.hardwareAddress());
        assertEquals(Ipv4Address.ZERO, offer.siaddr());
        assertEquals(Ipv4Address.ZERO, offer.ciaddr());
    }

    /** Checks the Table 3 header fields a reply copies from its request or sets to fixed values. */
    private static void assertReplyHeader(DhcpMessage request, DhcpMessage reply, int expectedFlags) {
        assertEquals(DhcpMessage.BOOTREPLY, reply.op());
        assertEquals(0, reply.hops());
        assertEquals(0, reply.secs());
        assertEquals(request.xid(), reply.xid());
        assertEquals(expectedFlags, reply.flags());
        assertEquals(request.giaddr(), reply.giaddr());
        assertEquals(request.htype(), reply.htype());
        assertEquals(request.hlen(), reply.hlen());
        assertArrayEquals(request.chaddr(), reply.chaddr());
    }

    @Test
    @DisplayName("#1 the ACK to a relayed REQUEST is a BOOTREPLY with hops and secs 0 and the request's xid, flags, giaddr and chaddr")
    void ackHeaderCopiesTheRequest() {
        DhcpMessage offer = reply(fixture.decide(discover().withHardwareAddress(MAC).withGiaddr("198.18.0.254").withHops(2)
                .build()), DhcpMessageType.OFFER);
        DhcpMessage request = request().withHardwareAddress(MAC).withXid(0xBEEF01).withHops(2).withSecs(12)
                .withGiaddr("198.18.0.254").withRequestedAddress(offer.yiaddr()).withServerIdentifier(TestConfigs.SERVER)
                .build();

        DhcpMessage ack = reply(fixture.decide(request), DhcpMessageType.ACK);

        assertReplyHeader(request, ack, 0);
    }

    @Test
    @DisplayName("#1 a NAK is a BOOTREPLY with hops and secs 0 and the request's xid, flags, giaddr and chaddr")
    void nakHeaderCopiesTheRequest() {
        DhcpMessage plain = request().withHardwareAddress(MAC).withXid(0x1234).withSecs(40)
                .withRequestedAddress("198.19.9.9").build();
        DhcpMessage broadcast = request().withHardwareAddress("02:00:00:00:00:0b").withXid(0x5678).withSecs(3)
                .withBroadcastFlag().withRequestedAddress("198.19.9.9").build();

        assertReplyHeader(plain, reply(fixture.decide(plain), DhcpMessageType.NAK), 0);
        assertReplyHeader(broadcast, reply(fixture.decide(broadcast), DhcpMessageType.NAK), DhcpMessage.FLAG_BROADCAST);
    }

    @Test
    @DisplayName("#1 an OFFER to a client without the broadcast bit keeps flags 0")
    void offerWithoutBroadcastBitKeepsFlagsClear() {
        DhcpMessage request = discover().withHardwareAddress(MAC).withXid(0x77).build();

        assertReplyHeader(request, reply(fixture.decide(request), DhcpMessageType.OFFER), 0);
    }

    @Test
    @DisplayName("#2 OFFER, ACK and NAK carry 53 first and the server identifier 54 second")
    void messageTypeAndServerIdentifierLeadEveryReply() {
        DhcpMessage offer = reply(fixture.decide(discover().withHardwareAddress(MAC).build()), DhcpMessageType.OFFER);
        DhcpMessage ack = reply(fixture.lease(MAC), DhcpMessageType.ACK);
        DhcpMessage nak = nak();

        for (DhcpMessage message : List.of(offer, ack, nak)) {
            assertEquals(OptionCode.MESSAGE_TYPE, message.options().codeAt(0));
            assertEquals(OptionCode.SERVER_IDENTIFIER, message.options().codeAt(1));
            assertEquals(Optional.of(TestConfigs.SERVER), message.options().address(OptionCode.SERVER_IDENTIFIER));
        }
    }

    @Test
    @DisplayName("#8 without a configured identifier the server identifies itself by the receiving address")
    void serverIdentifierFallsBackToTheReceivingAddress() {
        PolicyFixture unnamed = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().build())
                .serverIdentifier(Optional.empty()).build());
        Ipv4Address local = Ipv4Address.parse("198.18.0.5");

        DhcpMessage offer = reply(unnamed.decide(discover().withHardwareAddress(MAC).build(), local), DhcpMessageType.OFFER);

        assertEquals(Optional.of(local), offer.options().address(OptionCode.SERVER_IDENTIFIER));
    }

    @Test
    @DisplayName("#8 a REQUEST naming the receiving address is a REQUEST to this server")
    void receivingAddressIsAcceptedAsServerIdentifier() {
        Ipv4Address local = Ipv4Address.parse("198.18.0.5");
        DhcpMessage offer = reply(fixture.decide(discover().withHardwareAddress(MAC).build(), local), DhcpMessageType.OFFER);

        DhcpMessage ack = reply(fixture.decide(request().withHardwareAddress(MAC).withRequestedAddress(offer.yiaddr().toString())
                .withServerIdentifier(local.toString()).build(), local), DhcpMessageType.ACK);

        assertEquals(offer.yiaddr(), ack.yiaddr());
    }

    @Test
    @DisplayName("#8 a relayed request is answered with the address of the interface it arrived on as identifier")
    void relayedRequestIsIdentifiedByTheReceivingInterface() {
        SubnetConfig remote = TestConfigs.SubnetBuilder.of("198.19.5.0", 24).pool("198.19.5.100", "198.19.5.110").build();
        PolicyFixture unnamed = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().build(), remote)
                .serverIdentifier(Optional.empty()).build());
        Ipv4Address local = Ipv4Address.parse("198.18.0.5");

        DhcpMessage offer = reply(unnamed.decide(discover().withHardwareAddress(MAC).withGiaddr("198.19.5.1").build(), local),
                DhcpMessageType.OFFER);

        assertEquals(Ipv4Address.parse("198.19.5.100"), offer.yiaddr());
        assertEquals(Optional.of(local), offer.options().address(OptionCode.SERVER_IDENTIFIER));
    }

    @Test
    @DisplayName("#8 a REQUEST naming any of the server's addresses is a REQUEST to this server, whichever it arrives on")
    void anyOwnAddressIsAcceptedAsServerIdentifier() {
        SubnetConfig remote = TestConfigs.SubnetBuilder.of("198.19.5.0", 24).pool("198.19.5.100", "198.19.5.110").build();
        PolicyFixture twoLinks = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().build(), remote)
                .serverIdentifier(Optional.empty()).build());
        Ipv4Address first = Ipv4Address.parse("198.18.0.5");
        Ipv4Address second = Ipv4Address.parse("198.18.0.6");
        // A relay that forwards to two of the server's addresses: the DISCOVER arrives on both.
        DhcpMessage relayedDiscover = discover().withHardwareAddress(MAC).withGiaddr("198.19.5.1").build();
        DhcpMessage offer = reply(twoLinks.decide(relayedDiscover, first), DhcpMessageType.OFFER);
        reply(twoLinks.decide(relayedDiscover, second), DhcpMessageType.OFFER);

        DhcpMessage ack = reply(twoLinks.decide(request().withHardwareAddress(MAC).withGiaddr("198.19.5.1")
                .withRequestedAddress(offer.yiaddr()).withServerIdentifier(first).build(), second), DhcpMessageType.ACK);

        assertEquals(offer.yiaddr(), ack.yiaddr());
        assertEquals(Optional.of(first), ack.options().address(OptionCode.SERVER_IDENTIFIER), "the server the client chose");
    }

    @Test
    @DisplayName("#8 a REQUEST naming an address that is not the server's is for another server")
    void foreignServerIdentifierIsAnotherServer() {
        PolicyFixture unnamed = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().build())
                .serverIdentifier(Optional.empty()).build());
        Ipv4Address local = Ipv4Address.parse("198.18.0.5");
        DhcpMessage offer = reply(unnamed.decide(discover().withHardwareAddress(MAC).build(), local), DhcpMessageType.OFFER);

        assertDropped(DropReason.OTHER_SERVER_SELECTED, unnamed.decide(request().withHardwareAddress(MAC)
                .withRequestedAddress(offer.yiaddr()).withServerIdentifier("198.18.0.6").build(), local));
    }

    @Test
    @DisplayName("#3 OFFER and the ACK to a REQUEST carry the lease time 51")
    void offerAndAckCarryTheLeaseTime() {
        DhcpMessage offer = reply(fixture.decide(discover().withHardwareAddress(MAC).build()), DhcpMessageType.OFFER);
        DhcpMessage ack = reply(fixture.lease("02:00:00:00:00:02"), DhcpMessageType.ACK);

        assertEquals(Optional.of(TestConfigs.LEASE.toSeconds()), offer.options().uint32(OptionCode.LEASE_TIME));
        assertEquals(Optional.of(TestConfigs.LEASE.toSeconds()), ack.options().uint32(OptionCode.LEASE_TIME));
    }

    @Test
    @DisplayName("#3 a NAK carries no lease time")
    void nakCarriesNoLeaseTime() {
        assertFalse(nak().options().contains(OptionCode.LEASE_TIME));
    }

    @Test
    @DisplayName("#3 #14 the ACK to an INFORM carries no lease time")
    void informAckCarriesNoLeaseTime() {
        DhcpMessage ack = reply(fixture.decide(inform().withHardwareAddress(MAC).withCiaddr("198.18.0.77").build()), DhcpMessageType.ACK);

        assertFalse(ack.options().contains(OptionCode.LEASE_TIME));
        assertFalse(ack.options().contains(OptionCode.RENEWAL_TIME));
        assertFalse(ack.options().contains(OptionCode.REBINDING_TIME));
    }

    @Test
    @DisplayName("#4 replies never carry 50, 55 or 57, even when the client asks for them")
    void replyNeverCarriesClientOnlyOptions() {
        DhcpMessage request = discover().withHardwareAddress(MAC).withRequestedAddress("198.18.0.15").withMaxMessageSize(1200)
                .withParameterRequestList(50, 55, 57, 1, 3).build();

        DhcpMessage offer = reply(fixture.decide(request), DhcpMessageType.OFFER);

        for (int code : new int[] {OptionCode.REQUESTED_ADDRESS, OptionCode.PARAMETER_REQUEST_LIST,
                OptionCode.MAX_MESSAGE_SIZE}) {
            assertFalse(offer.options().contains(code), "option " + code + " in " + offer);
        }
    }

    @Test
    @DisplayName("#4 the ACK to a REQUEST carrying 50, 55 and 57 carries none of them")
    void ackNeverCarriesClientOnlyOptions() {
        DhcpMessage offer = reply(fixture.decide(discover().withHardwareAddress(MAC).build()), DhcpMessageType.OFFER);

        DhcpMessage ack = reply(fixture.decide(request().withHardwareAddress(MAC).withRequestedAddress(offer.yiaddr())
                .withServerIdentifier(TestConfigs.SERVER).withMaxMessageSize(1200).withParameterRequestList(50, 55, 57, 1, 3)
                .build()), DhcpMessageType.ACK);

        for (int code : new int[] {OptionCode.REQUESTED_ADDRESS, OptionCode.PARAMETER_REQUEST_LIST,
                OptionCode.MAX_MESSAGE_SIZE}) {
            assertFalse(ack.options().contains(code), "option " + code + " in " + ack);
        }
    }

    @Test
    @DisplayName("#4 options 50, 55 and 57 in the configuration do not reach a reply")
    void configuredClientOnlyOptionsAreNotSent() {
        PolicyFixture odd = new PolicyFixture(TestConfigs.server(TestConfigs.subnet()
                .option(OptionCode.MAX_MESSAGE_SIZE, new byte[] {4, 0})
                .option(OptionCode.PARAMETER_REQUEST_LIST, new byte[] {1}).build()).build());

        DhcpMessage offer = reply(odd.decide(discover().withHardwareAddress(MAC).build()), DhcpMessageType.OFFER);

        assertFalse(offer.options().contains(OptionCode.MAX_MESSAGE_SIZE));
        assertFalse(offer.options().contains(OptionCode.PARAMETER_REQUEST_LIST));
    }

    @Test
    @DisplayName("#5 OFFER, ACK and NAK return the client identifier unaltered")
    void clientIdentifierIsEchoed() {
        DhcpMessage offer = reply(fixture.decide(discover().withHardwareAddress(MAC).withClientId(CLIENT_ID).build()), DhcpMessageType.OFFER);
        DhcpMessage ack = reply(fixture.decide(request().withHardwareAddress(MAC).withClientId(CLIENT_ID).withRequestedAddress(offer.yiaddr().toString())
                .withServerIdentifier(TestConfigs.SERVER.toString()).build()), DhcpMessageType.ACK);

        for (DhcpMessage message : List.of(offer, ack, nak())) {
            assertArrayEquals(CLIENT_ID, message.options().get(OptionCode.CLIENT_IDENTIFIER).orElseThrow());
        }
    }

    @Test
    @DisplayName("#5 the ACK to an INFORM returns the client identifier unaltered")
    void clientIdentifierIsEchoedToAnInform() {
        DhcpMessage ack = reply(fixture.decide(inform().withHardwareAddress(MAC).withCiaddr("198.18.0.77").withClientId(CLIENT_ID)
                .build()), DhcpMessageType.ACK);

        assertArrayEquals(CLIENT_ID, ack.options().get(OptionCode.CLIENT_IDENTIFIER).orElseThrow());
    }

    @Test
    @DisplayName("#5 a reply to a client without identifier carries none")
    void noClientIdentifierWithoutOne() {
        DhcpMessage offer = reply(fixture.decide(discover().withHardwareAddress(MAC).build()), DhcpMessageType.OFFER);

        assertFalse(offer.options().contains(OptionCode.CLIENT_IDENTIFIER));
    }

    @Test
    @DisplayName("#6 a NAK has ciaddr, yiaddr and siaddr 0")
    void nakHasNoAddresses() {
        DhcpMessage nak = reply(fixture.decide(request().withHardwareAddress(MAC).withCiaddr("198.19.9.9").build()), DhcpMessageType.NAK);

        assertEquals(Ipv4Address.ZERO, nak.ciaddr());
        assertEquals(Ipv4Address.ZERO, nak.yiaddr());
        assertEquals(Ipv4Address.ZERO, nak.siaddr());
    }

    @Test
    @DisplayName("#6 a NAK carries only 53, 54, 56 and 61")
    void nakCarriesOnlyItsOptions() {
        assertEquals(List.of(OptionCode.MESSAGE_TYPE, OptionCode.SERVER_IDENTIFIER, OptionCode.MESSAGE,
                OptionCode.CLIENT_IDENTIFIER), nak().options().codes());
    }

    @Test
    @DisplayName("#6 a NAK to a request full of options carries none outside 53, 54, 56, 60 and 61")
    void nakStaysInsideItsAllowedOptions() {
        PolicyFixture rich = new PolicyFixture(TestConfigs.server(TestConfigs.subnet()
                .option(OptionCode.NTP_SERVERS, Ipv4Address.parse("198.18.0.4").toBytes()).build()).build());
        DhcpMessage request = request().withHardwareAddress(MAC).withRequestedAddress("198.19.9.9").withClientId(CLIENT_ID)
                .withVendorClass("example-vendor").withHostName("laptop").withRequestedLeaseTime(600).withMaxMessageSize(1500)
                .withParameterRequestList(1, 3, 6, 12, 15, 42, 51, 58, 59, 60).build();

        DhcpMessage nak = reply(rich.decide(request), DhcpMessageType.NAK);

        List<Integer> allowed = List.of(OptionCode.MESSAGE_TYPE, OptionCode.SERVER_IDENTIFIER, OptionCode.MESSAGE,
                OptionCode.VENDOR_CLASS_IDENTIFIER, OptionCode.CLIENT_IDENTIFIER);
        for (int code : nak.options().codes()) {
            assertTrue(allowed.contains(code), "option " + code + " in " + nak);
        }
        assertTrue(nak.options().contains(OptionCode.MESSAGE_TYPE));
        assertTrue(nak.options().contains(OptionCode.SERVER_IDENTIFIER));
    }

    @Test
    @DisplayName("#6 a NAK leaves sname and file unused")
    void nakLeavesSnameAndFileEmpty() {
        DhcpMessage nak = nak();

        assertArrayEquals(new byte[DhcpMessage.SNAME_LENGTH], nak.sname());
        assertArrayEquals(new byte[DhcpMessage.FILE_LENGTH], nak.file());
    }

    @Test
    @DisplayName("#7 the ACK to a SELECTING REQUEST has ciaddr 0 and yiaddr the bound address")
    void selectingAckHasTheAddressInYiaddr() {
        DhcpMessage ack = reply(fixture.lease(MAC), DhcpMessageType.ACK);

        assertEquals(Ipv4Address.ZERO, ack.ciaddr());
        assertEquals(Ipv4Address.parse("198.18.0.10"), ack.yiaddr());
    }

    @Test
    @DisplayName("#7 the ACK to a RENEWING REQUEST keeps the request's ciaddr")
    void renewingAckKeepsCiaddr() {
        Ipv4Address address = fixture.leaseAddress(MAC);

        DhcpMessage ack = reply(fixture.decide(request().withHardwareAddress(MAC).withCiaddr(address.toString()).build()), DhcpMessageType.ACK);

        assertEquals(address, ack.ciaddr());
        assertEquals(address, ack.yiaddr());
    }

    @Test
    @DisplayName("#9 a NAK through a relay has the broadcast bit set")
    void relayedNakHasTheBroadcastBit() {
        DhcpMessage nak = reply(fixture.decide(request().withHardwareAddress(MAC).withGiaddr("198.18.0.254").withRequestedAddress("198.19.9.9").build()),
                DhcpMessageType.NAK);

        assertTrue((nak.flags() & DhcpMessage.FLAG_BROADCAST) != 0);
    }

    @Test
    @DisplayName("#33 a relayed request's relay agent information is echoed unaltered as the last option")
    void relayAgentInformationIsEchoedLast() {
        byte[] info = {1, 4, 'p', 'o', 'r', 't'};
        DhcpMessage offer = reply(fixture.decide(discover().withHardwareAddress(MAC).withGiaddr("198.18.0.254")
                .withOption(OptionCode.RELAY_AGENT_INFORMATION, info).build()), DhcpMessageType.OFFER);

        List<Integer> codes = offer.options().codes();
        assertEquals(OptionCode.RELAY_AGENT_INFORMATION, codes.get(codes.size() - 1));
        assertArrayEquals(info, offer.options().get(OptionCode.RELAY_AGENT_INFORMATION).orElseThrow());
    }

    @Test
    @DisplayName("#33 the ACK and the NAK to a relayed request echo its relay agent information last")
    void relayAgentInformationIsEchoedInAckAndNak() {
        byte[] info = {1, 4, 'p', 'o', 'r', 't', 2, 2, 'r', '1'};
        DhcpMessage offer = reply(fixture.decide(discover().withHardwareAddress(MAC).withGiaddr("198.18.0.254")
                .withRelayAgentInformation(info).build()), DhcpMessageType.OFFER);
        DhcpMessage ack = reply(fixture.decide(request().withHardwareAddress(MAC).withGiaddr("198.18.0.254")
                .withRequestedAddress(offer.yiaddr()).withServerIdentifier(TestConfigs.SERVER).withParameterRequestList(3, 6)
                .withRelayAgentInformation(info).build()), DhcpMessageType.ACK);
        DhcpMessage nak = reply(fixture.decide(request().withHardwareAddress("02:00:00:00:00:0c").withGiaddr("198.18.0.254")
                .withRequestedAddress("198.19.9.9").withRelayAgentInformation(info).build()), DhcpMessageType.NAK);

        for (DhcpMessage message : List.of(ack, nak)) {
            List<Integer> codes = message.options().codes();
            assertEquals(OptionCode.RELAY_AGENT_INFORMATION, codes.get(codes.size() - 1), message.toString());
            assertArrayEquals(info, message.options().get(OptionCode.RELAY_AGENT_INFORMATION).orElseThrow());
        }
    }

    @Test
    @DisplayName("#33 the ACK to a relayed INFORM echoes its relay agent information last")
    void relayAgentInformationIsEchoedToARelayedInform() {
        byte[] info = {1, 3, 'p', 'o', 'e'};
        DhcpMessage ack = reply(fixture.decide(inform().withHardwareAddress(MAC).withGiaddr("198.18.0.254")
                .withCiaddr("198.18.0.77").withRelayAgentInformation(info).build()), DhcpMessageType.ACK);

        List<Integer> codes = ack.options().codes();
        assertEquals(OptionCode.RELAY_AGENT_INFORMATION, codes.get(codes.size() - 1));
        assertArrayEquals(info, ack.options().get(OptionCode.RELAY_AGENT_INFORMATION).orElseThrow());
    }

    @Test
    @DisplayName("#33 relay agent information is never echoed to a client that sent it directly")
    void relayAgentInformationFromAClientIsNotEchoed() {
        DhcpMessage offer = reply(fixture.decide(discover().withHardwareAddress(MAC)
                .withRelayAgentInformation(new byte[] {1, 1, 'x'}).build()), DhcpMessageType.OFFER);

        assertFalse(offer.options().contains(OptionCode.RELAY_AGENT_INFORMATION));
    }
}
