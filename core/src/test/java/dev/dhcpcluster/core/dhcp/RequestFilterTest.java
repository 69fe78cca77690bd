package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.PolicyFixture.assertDropped;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.reply;
import static dev.dhcpcluster.core.dhcp.TestPackets.discover;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the server refuses to answer before it looks at leases. */
class RequestFilterTest {

    private final PolicyFixture fixture = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().build())
            .maxHops(4).build());

    @Test
    @DisplayName("#35 a request with more hops than the limit is dropped")
    void tooManyHopsIsDropped() {
        assertDropped(DropReason.TOO_MANY_HOPS,
                fixture.decide(discover().withGiaddr("198.18.0.254").withHops(5).build()));
    }

    @Test
    @DisplayName("#35 a request with exactly the hop limit is served, and the reply has hops 0")
    void hopLimitItselfIsServed() {
        DhcpMessage offer = reply(fixture.decide(discover().withGiaddr("198.18.0.254").withHops(4).build()),
                DhcpMessageType.OFFER);

        assertEquals(0, offer.hops());
    }

    @Test
    void bootReplyIsNotARequest() {
        assertDropped(DropReason.NOT_A_REQUEST, fixture.decide(discover().withOp(DhcpMessage.BOOTREPLY).build()));
    }

    @Test
    void bootpWithoutMessageTypeIsNotServed() {
        assertDropped(DropReason.NOT_A_REQUEST,
                fixture.decide(discover().withoutOption(OptionCode.MESSAGE_TYPE).build()));
    }

    @Test
    @DisplayName("an option 53 of the wrong length is malformed, and the drop says so")
    void messageTypeOfTheWrongLengthIsMalformed() {
        Decision decision = fixture.decide(discover().withOption(OptionCode.MESSAGE_TYPE, new byte[] {1, 1}).build());

        assertDropped(DropReason.MALFORMED, decision);
        assertEquals("option 53 (DHCP message type) has length 2, not 1", ((Decision.Drop) decision).detail());
    }

    @Test
    @DisplayName("an option 53 naming no known type is malformed, and the drop names the value")
    void unknownMessageTypeIsMalformed() {
        Decision decision = fixture.decide(discover().withOption(OptionCode.MESSAGE_TYPE, new byte[] {99}).build());

        assertDropped(DropReason.MALFORMED, decision);
        assertEquals("unknown DHCP message type 99 in option 53", ((Decision.Drop) decision).detail());
    }

    @Test
    void serverMessageTypeFromAClientIsNotARequest() {
        assertDropped(DropReason.NOT_A_REQUEST, fixture.decide(TestPackets.ofType(DhcpMessageType.OFFER).build()));
        assertDropped(DropReason.NOT_A_REQUEST, fixture.decide(TestPackets.ofType(DhcpMessageType.ACK).build()));
    }

    @Test
    @DisplayName("#27 a request with hlen 0 and no client identifier is dropped: the client has no identity")
    void noHardwareAddressAndNoClientIdIsDropped() {
        for (DhcpMessageType type : List.of(DhcpMessageType.DISCOVER, DhcpMessageType.REQUEST, DhcpMessageType.DECLINE,
                DhcpMessageType.RELEASE, DhcpMessageType.INFORM)) {
            assertDropped(DropReason.NO_CLIENT_IDENTITY, fixture.decide(TestPackets.ofType(type).withHlen(0).build()));
            assertDropped(DropReason.NO_CLIENT_IDENTITY,
                    fixture.decide(TestPackets.ofType(type).withHlen(0).withClientId(new byte[0]).build()));
        }
    }

    @Test
    @DisplayName("#27 a request with hlen 0 but a client identifier is served under that identifier")
    void noHardwareAddressButAClientIdIsServed() {
        DhcpMessage offer = reply(fixture.decide(discover().withHlen(0).withClientId("01:02:00:00:00:00:07").build()),
                DhcpMessageType.OFFER);

        assertEquals(0, offer.hlen());
    }

    @Test
    void hardwareAddressLongerThanChaddrIsMalformed() {
        assertDropped(DropReason.MALFORMED, fixture.decide(discover().build().toBuilder().hlen(17).build()));
    }
}
