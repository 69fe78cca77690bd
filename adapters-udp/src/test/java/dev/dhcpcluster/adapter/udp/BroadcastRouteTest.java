package dev.dhcpcluster.adapter.udp;

import static dev.dhcpcluster.adapter.udp.LinkAddressTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BroadcastRouteTest {

    private static final SocketException UNREACHABLE = new SocketException("Network is unreachable");

    private final BroadcastRoute withFallback = new BroadcastRoute(
            new Addressing(ip("198.18.0.1"), Ipv4Address.BROADCAST, Optional.of(ip("198.18.255.255"))));

    @Test
    void startsWithTheLimitedBroadcast() {
        assertEquals(Ipv4Address.BROADCAST, withFallback.target());
    }

    @Test
    void unreachableLimitedBroadcastSwitchesToTheDirectedOneForGood() {
        assertEquals(Optional.of(ip("198.18.255.255")), withFallback.switchAfter(Ipv4Address.BROADCAST, UNREACHABLE));

        assertEquals(ip("198.18.255.255"), withFallback.target());
    }

    @Test
    void aSenderThatLostTheRaceToSwitchStillGetsTheFallback() {
        withFallback.switchAfter(Ipv4Address.BROADCAST, UNREACHABLE);

        assertEquals(Optional.of(ip("198.18.255.255")), withFallback.switchAfter(Ipv4Address.BROADCAST, UNREACHABLE));
    }

    @Test
    void otherErrorsDoNotSwitch() {
        assertEquals(Optional.empty(), withFallback.switchAfter(Ipv4Address.BROADCAST, new SocketException("Message too long")));

        assertEquals(Ipv4Address.BROADCAST, withFallback.target());
    }

    @Test
    void aFailedDirectedBroadcastHasNowhereElseToGo() {
        withFallback.switchAfter(Ipv4Address.BROADCAST, UNREACHABLE);

        assertEquals(Optional.empty(), withFallback.switchAfter(ip("198.18.255.255"), UNREACHABLE));
    }

    @Test
    void withoutFallbackNothingSwitches() {
        BroadcastRoute route = new BroadcastRoute(new Addressing(ip("127.0.0.11"), Ipv4Address.BROADCAST, Optional.empty()));

        assertEquals(Optional.empty(), route.switchAfter(Ipv4Address.BROADCAST, UNREACHABLE));
        assertEquals(Ipv4Address.BROADCAST, route.target());
    }

    @Test
    void recognisesTheErrorsOfAMissingRoute() {
        assertTrue(BroadcastRoute.isUnreachable(UNREACHABLE));
        assertTrue(BroadcastRoute.isUnreachable(new NoRouteToHostException("No route to host")));
        assertFalse(BroadcastRoute.isUnreachable(new SocketException("Message too long")));
        assertFalse(BroadcastRoute.isUnreachable(new SocketException()));
        assertFalse(BroadcastRoute.isUnreachable(new IOException("Broken pipe")));
    }
}
