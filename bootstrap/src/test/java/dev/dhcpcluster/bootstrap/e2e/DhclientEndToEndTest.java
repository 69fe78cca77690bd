package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

/**
 * ISC dhclient, directly attached to a node's interface through the lab's bridge: it gets a lease
 * with the configured options, renews it by unicast when its renew timer fires, and releases it
 * ({@code dhclient -r}).
 */
@EndToEnd(requires = "dhclient")
class DhclientEndToEndTest extends DirectlyAttachedClientEndToEndTest<Dhclient> {

    DhclientEndToEndTest() {
        super("dhclient", Dhclient::new, new Reasons("BOUND", "RENEW", List.of("REBIND", "EXPIRE", "FAIL")),
                // A renew timer of 5 s makes dhclient renew (by unicast to the node) within the test.
                Renewal.byTimer(config -> config.withLeaseTimes(30, 5, 20)));
    }

    @Override
    void releaseAndConfirm(Dhclient client) {
        Command.Result release = client.release(Duration.ofSeconds(30));
        assertEquals(0, release.exitCode(), release::output);
        assertTrue(client.script().events().stream().anyMatch(e -> e.is("RELEASE")),
                () -> client.script().events().toString());
    }
}
