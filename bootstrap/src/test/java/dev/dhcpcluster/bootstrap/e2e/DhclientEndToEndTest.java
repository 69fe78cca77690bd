package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

/**
 * ISC dhclient, directly attached to a node's interface through the lab's bridge: it gets a lease
 * with the configured options, renews it by unicast when its renew timer fires, releases it
 * ({@code dhclient -r}), gets it back by INIT-REBOOT from its lease file after a restart (script
 * reason {@code REBOOT}), and rebinds by broadcast when its renewals go unanswered.
 *
 * <p>dhclient reports a lease extended by its broadcast REBINDING request as {@code RENEW}, not
 * {@code REBIND}: past T2 it stays in its renewing state and only sends its requests to the
 * broadcast address; the capture shows the request was a REBINDING one.
 */
@EndToEnd(requires = {"dhclient", "tcpdump"})
class DhclientEndToEndTest extends DirectlyAttachedClientEndToEndTest<Dhclient> {

    DhclientEndToEndTest() {
        super("dhclient", Dhclient::new, new Reasons("BOUND", "RENEW", List.of("REBIND", "EXPIRE", "FAIL")),
                // A renew timer of 5 s makes dhclient renew (by unicast to the node) within the test.
                Renewal.byTimer(config -> config.withLeaseTimes(30, 5, 20)),
                new Recovery("REBOOT", RestartExchange.INIT_REBOOT, "RENEW"));
    }

    /** dhclient starts again from its lease file, which holds the lease it had. */
    @Override
    void restart(Dhclient client, LeaseEvent bound) {
        client.awaitLeaseSaved(bound.address(), Duration.ofSeconds(30));
        client.restart();
    }

    @Override
    void releaseAndConfirm(Dhclient client) {
        // dhclient -r releases the lease its lease file holds: it must have been saved first.
        client.script().events().stream().filter(e -> e.is("BOUND")).reduce((first, last) -> last)
                .ifPresent(bound -> client.awaitLeaseSaved(bound.address(), Duration.ofSeconds(30)));
        Command.Result release = client.release(Duration.ofSeconds(30));
        assertEquals(0, release.exitCode(), release::output);
        assertTrue(client.script().events().stream().anyMatch(e -> e.is("RELEASE")),
                () -> client.script().events().toString());
    }
}
