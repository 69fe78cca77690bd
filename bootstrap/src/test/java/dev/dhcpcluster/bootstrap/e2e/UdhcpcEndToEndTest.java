package dev.dhcpcluster.bootstrap.e2e;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Busybox udhcpc, directly attached to a node's interface: it gets a lease with the configured
 * options, renews it when told to (SIGUSR1), releases it (SIGUSR2), and rebinds by broadcast when
 * its renewal goes unanswered (script event {@code renew}, as for any ACK while bound).
 *
 * <p><b>udhcpc cannot do INIT-REBOOT.</b> It has no INIT-REBOOT state and keeps no lease file:
 * every start begins with a DISCOVER. The restart test therefore checks what udhcpc does instead:
 * restarted with {@code -r} and its previous address, it asks for that address in its DISCOVER
 * (option 50), and gets it back through OFFER, SELECTING REQUEST and ACK. udhcpc also ignores T1
 * and T2 (options 58, 59): it renews at half the lease, and rebinds once its unicast renewal has
 * gone unanswered for the pause {@code -T} sets.
 */
@EndToEnd(requires = {"udhcpc", "tcpdump"})
class UdhcpcEndToEndTest extends DirectlyAttachedClientEndToEndTest<Udhcpc> {

    UdhcpcEndToEndTest() {
        super("udhcpc", Udhcpc::new, new Reasons("bound", "renew", List.of("bound", "deconfig", "nak")),
                Renewal.onRequest(Udhcpc::renew),
                new Recovery("bound", RestartExchange.DISCOVER_FOR_PREVIOUS_ADDRESS, "renew"));
    }

    /** udhcpc remembers nothing by itself: it is told the address it had. */
    @Override
    void restart(Udhcpc client, LeaseEvent bound) {
        client.restartRequesting(bound.address());
    }

    /** udhcpc deconfigures the interface through its script, and says it entered the released state. */
    @Override
    void releaseAndConfirm(Udhcpc client) {
        int afterBound = client.script().events().size();
        client.release();
        client.await("to deconfigure", afterBound, e -> e.is("deconfig"), LEASE_WAIT);
        client.process().awaitOutput(Pattern.compile("entering released state"), LEASE_WAIT);
    }
}
