package dev.dhcpcluster.adapter.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinkAddressTest {

    @Test
    void directedBroadcastSetsEveryHostBit() {
        assertEquals(Optional.of(ip("198.18.255.255")), link("198.18.0.1", 16).directedBroadcast());
        assertEquals(Optional.of(ip("198.19.255.255")), link("198.18.0.1", 15).directedBroadcast());
        assertEquals(Optional.of(ip("198.18.3.255")), link("198.18.3.7", 24).directedBroadcast());
        assertEquals(Optional.of(ip("198.18.3.7")), link("198.18.3.5", 30).directedBroadcast());
        assertEquals(Optional.of(ip("127.255.255.255")), link("127.0.0.1", 8).directedBroadcast());
    }

    @Test
    void pointToPointAndHostRoutesHaveNoDirectedBroadcast() {
        assertEquals(Optional.empty(), link("198.18.0.0", 31).directedBroadcast());
        assertEquals(Optional.empty(), link("198.18.0.1", 32).directedBroadcast());
    }

    @Test
    void zeroPrefixBroadcastsToEverything() {
        assertEquals(Optional.of(Ipv4Address.BROADCAST), link("198.18.0.1", 0).directedBroadcast());
    }

    @Test
    void prefixLengthBeyond32IsRefused() {
        assertThrows(IllegalArgumentException.class, () -> link("198.18.0.1", 33));
        assertThrows(IllegalArgumentException.class, () -> link("198.18.0.1", -1));
    }

    @Test
    void wildcardBindUsesTheInterfacesFirstAddress() {
        List<LinkAddress> addresses = List.of(link("198.18.0.1", 16), link("198.19.0.1", 24));

        assertEquals(Optional.of(link("198.18.0.1", 16)), LinkAddress.choose(addresses, Ipv4Address.ZERO));
    }

    @Test
    void unicastBindUsesTheAddressItIsBoundTo() {
        List<LinkAddress> addresses = List.of(link("198.18.0.1", 16), link("198.19.0.1", 24));

        assertEquals(Optional.of(link("198.19.0.1", 24)), LinkAddress.choose(addresses, ip("198.19.0.1")));
    }

    @Test
    void unicastBindOnAnInterfaceWithoutThatAddressFindsNothing() {
        assertEquals(Optional.empty(), LinkAddress.choose(List.of(link("198.18.0.1", 16)), ip("198.18.0.2")));
        assertEquals(Optional.empty(), LinkAddress.choose(List.of(), Ipv4Address.ZERO));
    }

    static LinkAddress link(String address, int prefixLength) {
        return new LinkAddress(ip(address), prefixLength);
    }

    static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }
}
