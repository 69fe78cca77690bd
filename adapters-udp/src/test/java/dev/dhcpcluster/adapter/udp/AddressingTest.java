package dev.dhcpcluster.adapter.udp;

import static dev.dhcpcluster.adapter.udp.LinkAddressTest.ip;
import static dev.dhcpcluster.adapter.udp.LinkAddressTest.link;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressingTest {

    @Test
    void wildcardOnANamedInterfaceSpeaksForTheInterfaceAndBroadcastsToItsSubnet() {
        Addressing addressing = Addressing.decide(Ipv4Address.ZERO, true, Optional.of(link("198.18.0.1", 16)));

        assertEquals(new Addressing(ip("198.18.0.1"), ip("198.18.255.255"), Optional.empty()), addressing);
    }

    @Test
    void unicastBindOnANamedInterfaceKeepsItsAddressAndBroadcastsToTheSubnet() {
        Addressing addressing = Addressing.decide(ip("198.18.0.1"), true, Optional.of(link("198.18.0.1", 24)));

        assertEquals(new Addressing(ip("198.18.0.1"), ip("198.18.0.255"), Optional.empty()), addressing);
    }

    @Test
    void withoutANamedInterfaceBroadcastsGoToTheLimitedAddressWithTheSubnetAsFallback() {
        Addressing addressing = Addressing.decide(ip("198.18.0.1"), false, Optional.of(link("198.18.0.1", 16)));

        assertEquals(new Addressing(ip("198.18.0.1"), Ipv4Address.BROADCAST, Optional.of(ip("198.18.255.255"))),
                addressing);
    }

    @Test
    void withoutAnyKnownLinkBroadcastsGoToTheLimitedAddressOnly() {
        Addressing addressing = Addressing.decide(ip("127.0.0.11"), false, Optional.empty());

        assertEquals(new Addressing(ip("127.0.0.11"), Ipv4Address.BROADCAST, Optional.empty()), addressing);
    }

    @Test
    void aNamedPointToPointLinkBroadcastsToTheLimitedAddress() {
        Addressing addressing = Addressing.decide(Ipv4Address.ZERO, true, Optional.of(link("198.18.0.1", 32)));

        assertEquals(new Addressing(ip("198.18.0.1"), Ipv4Address.BROADCAST, Optional.empty()), addressing);
    }

    @Test
    void wildcardWithoutALinkHasNoServerAddressAndIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Addressing.decide(Ipv4Address.ZERO, false, Optional.empty()));
    }
}
