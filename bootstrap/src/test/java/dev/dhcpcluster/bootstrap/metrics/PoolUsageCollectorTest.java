package dev.dhcpcluster.bootstrap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.dhcpcluster.bootstrap.metrics.PrometheusText.Exposition;
import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.core.pool.PoolRangeUsage;
import dev.dhcpcluster.core.pool.PoolUsage;
import dev.dhcpcluster.core.pool.SubnetUsage;
import dev.dhcpcluster.port.model.Ipv4Address;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PoolUsageCollectorTest {

    private static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }

    private static Exposition scrape(PoolUsageCollector.Source source) throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        PoolUsageCollector collector = new PoolUsageCollector(source);
        collector.register(registry);
        Collector other = () -> GaugeSnapshot.builder().name("other_gauge")
                .dataPoint(GaugeDataPointSnapshot.builder().value(1).build()).build();
        registry.register(other);
        return PrometheusText.parse(NodeMetricsScrapeTest.textFormat(registry));
    }

    @Test
    @DisplayName("each subnet and each of its pools gets its gauges, labelled with the subnet and the pool's range")
    void gaugesPerSubnetAndPool() throws Exception {
        PoolRangeUsage first = new PoolRangeUsage(new AddressRange(ip("198.18.0.10"), ip("198.18.0.19")),
                Optional.empty(), 10, 3, 2, 1, 4);
        PoolRangeUsage second = new PoolRangeUsage(new AddressRange(ip("198.18.0.100"), ip("198.18.0.101")),
                Optional.of("pxe"), 2, 1, 0, 0, 1);
        SubnetUsage subnet = new SubnetUsage(ip("198.18.0.0"), 24, 12, 5, 2, 1, 5, List.of(first, second));

        Exposition metrics = scrape(() -> Optional.of(new PoolUsage(List.of(subnet))));

        assertEquals(12, metrics.value("dhcpcluster_subnet_addresses", "subnet", "198.18.0.0/24"));
        assertEquals(5, metrics.value("dhcpcluster_subnet_bound_addresses", "subnet", "198.18.0.0/24"));
        assertEquals(4, metrics.value("dhcpcluster_pool_free_addresses", "subnet", "198.18.0.0/24", "pool",
                "198.18.0.10-198.18.0.19"));
        assertEquals(2, metrics.value("dhcpcluster_pool_offered_addresses", "subnet", "198.18.0.0/24", "pool",
                "198.18.0.10-198.18.0.19"));
        assertEquals(1, metrics.value("dhcpcluster_pool_bound_addresses", "subnet", "198.18.0.0/24", "pool",
                "198.18.0.100-198.18.0.101"));
        assertEquals(0, metrics.value("dhcpcluster_pool_usage_scrape_failures_total"));
    }

    @Test
    @DisplayName("a loop that does not answer in time costs the scrape its pool gauges, counted, and nothing else")
    void aTimeoutLeavesOutThePoolGaugesAndIsCounted() throws Exception {
        PoolUsageCollector.Source stuck = () -> {
            throw new TimeoutException("no answer within " + Duration.ofSeconds(2));
        };

        Exposition metrics = scrape(stuck);

        assertFalse(metrics.families().containsKey("dhcpcluster_pool_addresses"));
        assertEquals(1, metrics.value("dhcpcluster_pool_usage_scrape_failures_total"));
        assertEquals(1, metrics.value("other_gauge"), "the rest of the scrape is there");
    }

    @Test
    @DisplayName("a node that is not running shows no pool gauges, and that is no failure")
    void aStoppedNodeShowsNoPoolGauges() throws Exception {
        Exposition metrics = scrape(Optional::empty);

        assertFalse(metrics.families().containsKey("dhcpcluster_subnet_free_addresses"));
        assertEquals(0, metrics.value("dhcpcluster_pool_usage_scrape_failures_total"));
    }

    @Test
    @DisplayName("a run of failed scrapes logs one WARN, counts every failure, and a success ends the run")
    void aRunOfFailuresIsLoggedOnce() throws Exception {
        boolean[] answers = {false, false, false, true, false};
        int[] call = {0};
        PoolUsageCollector collector = new PoolUsageCollector(() -> {
            if (!answers[call[0]++]) {
                throw new TimeoutException("no answer");
            }
            return Optional.empty();
        });
        PrometheusRegistry registry = new PrometheusRegistry();
        collector.register(registry);
        Logger log = (Logger) LoggerFactory.getLogger(PoolUsageCollector.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            Exposition last = null;
            for (int i = 0; i < answers.length; i++) {
                last = PrometheusText.parse(NodeMetricsScrapeTest.textFormat(registry));
            }

            assertEquals(4, last.value("dhcpcluster_pool_usage_scrape_failures_total"));
            assertEquals(List.of(Level.WARN, Level.INFO, Level.WARN),
                    logged.list.stream().map(ILoggingEvent::getLevel).toList(), logged.list.toString());
        } finally {
            log.detachAppender(logged);
        }
    }
}
