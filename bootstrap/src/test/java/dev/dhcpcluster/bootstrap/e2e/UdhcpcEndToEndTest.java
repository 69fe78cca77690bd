package dev.dhcpcluster.bootstrap.e2e;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Busybox udhcpc, directly attached to a node's interface: it gets a lease with the configured
 * options, renews it when told to (SIGUSR1), and releases it (SIGUSR2).
 */
@EndToEnd(requires = "udhcpc")
class UdhcpcEndToEndTest extends DirectlyAttachedClientEndToEndTest<Udhcpc> {

    UdhcpcEndToEndTest() {
        super("udhcpc", Udhcpc::new, new Reasons("bound", "renew", List.of("bound", "deconfig", "nak")),
                Renewal.onRequest(Udhcpc::renew));
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
