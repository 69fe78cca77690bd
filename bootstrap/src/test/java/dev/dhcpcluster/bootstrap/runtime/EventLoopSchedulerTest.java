package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.port.time.AbstractSchedulerTest;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The node's event loop keeps the scheduler contract that the virtual scheduler of the tests keeps. */
class EventLoopSchedulerTest extends AbstractSchedulerTest {

    private EventLoop loop;

    @BeforeEach
    void startLoop() {
        loop = new EventLoop("test-loop");
        loop.startAsync().awaitRunning();
    }

    @AfterEach
    void stopLoop() {
        loop.stopAsync().awaitTerminated();
    }

    @Override
    protected Scheduler scheduler() {
        return loop;
    }

    @Override
    protected Clock clock() {
        return loop;
    }

    @Override
    protected void letTimePass(Duration duration) throws InterruptedException {
        waitOnRealTime(duration);
    }
}
