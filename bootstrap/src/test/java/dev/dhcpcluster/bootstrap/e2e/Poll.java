package dev.dhcpcluster.bootstrap.e2e;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/**
 * Waits for a condition on real processes by polling it until a deadline.
 *
 * <p>End-to-end tests observe programs that run in real time (a DHCP client writing its script log,
 * a node printing a line), so they cannot use a virtual clock; every wait is still bounded, and a
 * timeout fails with a message that says what was awaited and what was seen instead.
 */
public final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(100);

    private Poll() {
    }

    /**
     * Calls {@code probe} until it yields a value or {@code timeout} passes.
     *
     * @param description what is awaited, for the failure message
     * @param evidence called once on timeout; what was observed instead (for example a log)
     */
    public static <T> T until(Duration timeout, String description, Supplier<Optional<T>> probe,
            Supplier<String> evidence) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionFailedError("timed out after " + timeout.toSeconds() + " s waiting for "
                        + description + System.lineSeparator() + evidence.get());
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
