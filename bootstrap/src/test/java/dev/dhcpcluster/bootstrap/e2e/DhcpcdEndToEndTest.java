package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/**
 * dhcpcd, directly attached to a node's interface: it gets a lease with the configured options,
 * renews it when told to (SIGUSR1), releases it (SIGALRM), gets it back by INIT-REBOOT from its
 * lease file after a restart (hook reason {@code REBOOT}), and rebinds by broadcast when its
 * renewals go unanswered (hook reason {@code REBIND}).
 */
@EndToEnd(requires = {"dhcpcd", "mount", "tcpdump"})
class DhcpcdEndToEndTest extends DirectlyAttachedClientEndToEndTest<Dhcpcd> {

    DhcpcdEndToEndTest() {
        super("dhcpcd", Dhcpcd::new, new Reasons("BOUND", "RENEW", List.of("REBIND", "EXPIRE", "NAK", "BOUND")),
                Renewal.onRequest(Dhcpcd::renew),
                new Recovery("REBOOT", RestartExchange.INIT_REBOOT, "REBIND"));
    }

    /** dhcpcd starts again from its lease file in its state directory, which outlives its mount namespace. */
    @Override
    void restart(Dhcpcd client, LeaseEvent bound) {
        client.restart();
    }

    /** dhcpcd exits after a release, having logged that it sent one. */
    @Override
    void releaseAndConfirm(Dhcpcd client) {
        client.release();
        assertEquals(0, client.process().awaitExit(LEASE_WAIT), client.process()::describe);
        assertTrue(client.process().output().contains("sending RELEASE"), client.process()::describe);
    }
}
