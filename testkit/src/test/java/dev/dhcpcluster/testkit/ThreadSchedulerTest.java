package dev.dhcpcluster.testkit;

import dev.dhcpcluster.port.time.AbstractSchedulerTest;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The testkit's real-time scheduler keeps the contract of the node's. */
class ThreadSchedulerTest extends AbstractSchedulerTest {

    private final ThreadScheduler scheduler = new ThreadScheduler("test-scheduler");

    @AfterEach
    void stop() {
        scheduler.close();
    }

    @Override
    protected Scheduler scheduler() {
        return scheduler;
    }

    @Override
    protected Clock clock() {
        return scheduler;
    }

    @Override
    protected void letTimePass(Duration duration) throws InterruptedException {
        waitOnRealTime(duration);
    }
}
