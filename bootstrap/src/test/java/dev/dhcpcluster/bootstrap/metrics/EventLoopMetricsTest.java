package dev.dhcpcluster.bootstrap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.runtime.EventLoop;
import dev.dhcpcluster.core.dhcp.DatagramClass;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The DHCP lane as /metrics shows it: queued datagrams by class, shed datagrams by class and reason. */
class EventLoopMetricsTest {

    @Test
    @DisplayName("queued and shed datagrams are labelled by class (and reason); their sums are the lane's totals")
    void byClassAndReason() throws Exception {
        EventLoop loop = new EventLoop("metrics-loop", 16);
        PrometheusRegistry registry = new PrometheusRegistry();
        new EventLoopMetrics(loop).register(registry);
        loop.startAsync().awaitRunning();
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            loop.execute(() -> {
                busy.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(busy.await(5, TimeUnit.SECONDS));
            for (int i = 0; i < 20; i++) {
                loop.offerDatagram(DatagramClass.DISCOVER, () -> { });
            }
            for (int i = 0; i < 3; i++) {
                loop.offerDatagram(DatagramClass.REQUEST, () -> { });
            }
            loop.offerDatagram(DatagramClass.OTHER, () -> { });

            PrometheusText.Exposition metrics = PrometheusText.parse(NodeMetricsScrapeTest.textFormat(registry));

            assertEquals(3, metrics.value("dhcpcluster_event_loop_queued_datagrams", "class", "request"));
            assertEquals(16, metrics.value("dhcpcluster_event_loop_queued_datagrams", "class", "discover"));
            assertEquals(1, metrics.value("dhcpcluster_event_loop_queued_datagrams", "class", "other"));
            assertEquals(4, metrics.value("dhcpcluster_event_loop_datagrams_shed_total", "class", "discover",
                    "reason", "full"));
            assertEquals(0, metrics.value("dhcpcluster_event_loop_datagrams_shed_total", "class", "request",
                    "reason", "full"));
            assertEquals(0, metrics.value("dhcpcluster_event_loop_datagrams_shed_total", "class", "discover",
                    "reason", "expired"));
            assertEquals(4, loop.datagramsShed());
            assertEquals(20, loop.backlog().datagrams());
        } finally {
            release.countDown();
            loop.flushDatagrams(Duration.ofSeconds(5));
            loop.stopAsync().awaitTerminated();
        }
    }
}
