package dev.dhcpcluster.port.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaseTest {

    private static final HardwareAddress MAC = HardwareAddress.parseEthernet("02:00:00:00:00:01");
    private static final Instant EXPIRY = Instant.parse("2026-01-01T00:00:00Z");

    private static Lease lease(LeaseState state) {
        return new Lease(Ipv4Address.parse("198.18.0.10"), ClientKey.ofHardware(MAC), MAC, Optional.empty(), state,
                EXPIRY, new NodeId(1), 7);
    }

    @Test
    void boundAndDeclinedAddressesAreHeldUntilExpiry() {
        assertTrue(lease(LeaseState.BOUND).holdsAddressAt(EXPIRY.minusMillis(1)));
        assertFalse(lease(LeaseState.BOUND).holdsAddressAt(EXPIRY));
        assertTrue(lease(LeaseState.DECLINED).holdsAddressAt(EXPIRY.minusSeconds(60)));
        assertFalse(lease(LeaseState.RELEASED).holdsAddressAt(EXPIRY.minusSeconds(60)));
        assertFalse(lease(LeaseState.EXPIRED).holdsAddressAt(EXPIRY.minusSeconds(60)));
    }

    @Test
    void everyChangeIsOneVersionOn() {
        Lease released = lease(LeaseState.BOUND).withState(LeaseState.RELEASED, EXPIRY, new NodeId(2));
        assertEquals(8, released.version());
        assertEquals(LeaseState.RELEASED, released.state());
        assertEquals(new NodeId(2), released.owner());
    }

    @Test
    void aChangeOfStateKeepsBothHostNames() {
        HostNameSent sent = HostNameSent.of(new byte[] {'p', 'c', '\n'});
        Lease bound = new Lease(Ipv4Address.parse("198.18.0.10"), ClientKey.ofHardware(MAC), MAC, Optional.of("pc"),
                LeaseState.BOUND, EXPIRY, new NodeId(1), 7, Optional.of(sent));

        Lease released = bound.withState(LeaseState.RELEASED, EXPIRY, new NodeId(2));

        assertEquals(Optional.of("pc"), released.hostname());
        assertEquals(Optional.of(sent), released.hostnameSent());
    }

    @Test
    void theEightArgumentConstructorMeansNoHostNameSent() {
        assertEquals(Optional.empty(), lease(LeaseState.BOUND).hostnameSent());
    }

    @Test
    void negativeVersionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Lease(Ipv4Address.parse("198.18.0.10"),
                ClientKey.ofHardware(MAC), MAC, Optional.empty(), LeaseState.BOUND, EXPIRY, new NodeId(1), -1));
    }
}
