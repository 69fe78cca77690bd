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
    private static final LeaseVersion VERSION = new LeaseVersion(3, 7, new NodeId(1));

    private static Lease lease(LeaseState state) {
        return new Lease(Ipv4Address.parse("198.18.0.10"), ClientKey.ofHardware(MAC), MAC, Optional.empty(), state,
                EXPIRY, VERSION);
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
    void everyChangeIsOneVersionOnByItsWriter() {
        Lease released = lease(LeaseState.BOUND).withState(LeaseState.RELEASED, EXPIRY, 3, new NodeId(2));
        assertEquals(new LeaseVersion(3, 8, new NodeId(2)), released.version());
        assertEquals(LeaseState.RELEASED, released.state());
        assertEquals(new NodeId(2), released.writer());
    }

    @Test
    void aChangeInALaterEpochIsAboveTheOldVersion() {
        Lease released = lease(LeaseState.BOUND).withState(LeaseState.RELEASED, EXPIRY, 5, new NodeId(1));
        assertEquals(new LeaseVersion(5, 8, new NodeId(1)), released.version());
    }

    @Test
    void aChangeInAnEarlierEpochIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> lease(LeaseState.BOUND).withState(LeaseState.RELEASED, EXPIRY, 2, new NodeId(1)));
    }

    @Test
    void theWriterIsTheVersionsWriter() {
        assertEquals(new NodeId(1), lease(LeaseState.BOUND).writer());
    }

    @Test
    void aChangeOfStateKeepsBothHostNames() {
        HostNameSent sent = HostNameSent.of(new byte[] {'p', 'c', '\n'});
        Lease bound = new Lease(Ipv4Address.parse("198.18.0.10"), ClientKey.ofHardware(MAC), MAC, Optional.of("pc"),
                LeaseState.BOUND, EXPIRY, VERSION, Optional.of(sent));

        Lease released = bound.withState(LeaseState.RELEASED, EXPIRY, 3, new NodeId(2));

        assertEquals(Optional.of("pc"), released.hostname());
        assertEquals(Optional.of(sent), released.hostnameSent());
    }

    @Test
    void theSevenArgumentConstructorMeansNoHostNameSent() {
        assertEquals(Optional.empty(), lease(LeaseState.BOUND).hostnameSent());
    }

    @Test
    void aLeaseWithoutAVersionIsRefused() {
        assertThrows(NullPointerException.class, () -> new Lease(Ipv4Address.parse("198.18.0.10"),
                ClientKey.ofHardware(MAC), MAC, Optional.empty(), LeaseState.BOUND, EXPIRY, null));
    }
}
