package dev.dhcpcluster.core.testing;

import dev.dhcpcluster.port.time.AbstractSchedulerTest;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

/** The virtual scheduler keeps the same contract as the node's real one. */
class ManualSchedulerTest extends AbstractSchedulerTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);

    @Override
    protected Scheduler scheduler() {
        return scheduler;
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected void letTimePass(Duration duration) {
        try {
            scheduler.advance(duration);
        } catch (IllegalStateException e) {
            // ManualScheduler rethrows its tasks' failures once the run is over, so that a test cannot
            // miss one; here only the contract's provoked failures are expected.
            boolean onlyProvoked = Stream.concat(Stream.of(e.getCause()), Arrays.stream(e.getSuppressed()))
                    .allMatch(failure -> failure instanceof ProvokedFailure);
            if (!onlyProvoked) {
                throw e;
            }
        }
    }
}
