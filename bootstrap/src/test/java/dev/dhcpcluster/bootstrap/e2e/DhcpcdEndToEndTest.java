package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/**
 * dhcpcd, directly attached to a node's interface: it gets a lease with the configured options,
 * renews it when told to (SIGUSR1), and releases it (SIGALRM).
 */
@EndToEnd(requires = {"dhcpcd", "mount"})
class DhcpcdEndToEndTest extends DirectlyAttachedClientEndToEndTest<Dhcpcd> {

    DhcpcdEndToEndTest() {
        super("dhcpcd", Dhcpcd::new, new Reasons("BOUND", "RENEW", List.of("REBIND", "EXPIRE", "NAK", "BOUND")),
                Renewal.onRequest(Dhcpcd::renew));
    }

    /** dhcpcd exits after a release, having logged that it sent one. */
    @Override
    void releaseAndConfirm(Dhcpcd client) {
        client.release();
        assertEquals(0, client.process().awaitExit(LEASE_WAIT), client.process()::describe);
        assertTrue(client.process().output().contains("sending RELEASE"), client.process()::describe);
    }
}
