package dev.dhcpcluster.bootstrap.metrics;

import dev.dhcpcluster.core.pool.PoolRangeUsage;
import dev.dhcpcluster.core.pool.PoolUsage;
import dev.dhcpcluster.core.pool.SubnetUsage;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the addresses of every subnet and every pool are used, as gauges: how many the pools hand
 * out, and how many are free, offered, bound and declined. The usage is read once per scrape, on
 * the event loop (the lease table belongs to that thread), with a time limit; the allocation path
 * keeps no extra count for it.
 *
 * <p>If the usage cannot be read (the node has not started yet, has stopped, or its loop is too
 * busy to answer in time), the scrape goes on without these gauges rather than failing as a
 * whole; a timeout is counted in {@code dhcpcluster_pool_usage_scrape_failures_total} and logged.
 */
public final class PoolUsageCollector implements MultiCollector {

    private static final Logger LOG = LoggerFactory.getLogger(PoolUsageCollector.class);

    /** Reads the node's pool usage; may block until the event loop answers. */
    @FunctionalInterface
    public interface Source {
        /**
         * The usage now, or empty if the node is not running.
         *
         * @throws Exception if it could not be read (a timeout, an interrupted wait)
         */
        Optional<PoolUsage> read() throws Exception;
    }

    /** One gauge of the subnet and one of the pool for each count. */
    private record Count(String what, String help, ToIntFunction<SubnetUsage> ofSubnet,
            ToIntFunction<PoolRangeUsage> ofPool) {
    }

    private static final List<Count> COUNTS = List.of(
            new Count("addresses", "Dynamic addresses handed out by %s (its ranges less network, broadcast, router, "
                    + "server and reserved addresses)", SubnetUsage::size, PoolRangeUsage::size),
            new Count("free_addresses", "Addresses of %s that a new client could be given now", SubnetUsage::free,
                    PoolRangeUsage::free),
            new Count("offered_addresses", "Addresses of %s offered and held for a client that has not requested them yet",
                    SubnetUsage::offered, PoolRangeUsage::offered),
            new Count("bound_addresses", "Addresses of %s bound to a client", SubnetUsage::bound,
                    PoolRangeUsage::bound),
            new Count("declined_addresses", "Addresses of %s quarantined after a DHCPDECLINE", SubnetUsage::declined,
                    PoolRangeUsage::declined));

    /** Without {@code _total}, which the text format adds to a counter's name. */
    private static final String FAILURES = "dhcpcluster_pool_usage_scrape_failures";

    private final Source source;
    /** Part of this collector's own output, so that a scrape that failed already counts itself. */
    private final LongAdder failures = new LongAdder();
    /**
     * True from a failed scrape until one succeeds: a busy loop fails every scrape (one every few
     * seconds), and one WARN says so for the whole run of failures; the counter counts each.
     */
    private final AtomicBoolean failing = new AtomicBoolean();

    /** @param source reads the usage, once per scrape */
    public PoolUsageCollector(Source source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Registers the gauges and the failure counter in {@code registry}. */
    public void register(PrometheusRegistry registry) {
        registry.register(this);
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> snapshots = new ArrayList<>();
        try {
            source.read().ifPresent(usage -> gauges(usage, snapshots));
            if (failing.compareAndSet(true, false)) {
                LOG.info("metrics scrapes show the pool usage again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failures.increment();
            if (failing.compareAndSet(false, true)) {
                LOG.warn("metrics scrape without pool usage: {} (until a scrape succeeds, further failures are "
                        + "counted in {}, not logged)", e, FAILURES + "_total");
            }
        }
        snapshots.add(CounterSnapshot.builder()
                .name(FAILURES)
                .help("Scrapes that went without the subnet and pool gauges because the event loop did not answer "
                        + "in time")
                .dataPoint(CounterDataPointSnapshot.builder().value(failures.sum()).build())
                .build());
        return new MetricSnapshots(snapshots);
    }

    private static void gauges(PoolUsage usage, List<MetricSnapshot> snapshots) {
        for (Count count : COUNTS) {
            GaugeSnapshot.Builder subnets = GaugeSnapshot.builder()
                    .name(subnetName(count))
                    .help(String.format(count.help(), "the subnet's pools"));
            GaugeSnapshot.Builder pools = GaugeSnapshot.builder()
                    .name(poolName(count))
                    .help(String.format(count.help(), "the pool"));
            for (SubnetUsage subnet : usage.subnets()) {
                String prefix = subnet.network() + "/" + subnet.prefixLength();
                subnets.dataPoint(point(Labels.of("subnet", prefix), count.ofSubnet().applyAsInt(subnet)));
                for (PoolRangeUsage pool : subnet.pools()) {
                    pools.dataPoint(point(Labels.of("subnet", prefix, "pool", poolLabel(pool)),
                            count.ofPool().applyAsInt(pool)));
                }
            }
            snapshots.add(subnets.build());
            snapshots.add(pools.build());
        }
    }

    @Override
    public List<String> getPrometheusNames() {
        List<String> names = new ArrayList<>();
        for (Count count : COUNTS) {
            names.add(subnetName(count));
            names.add(poolName(count));
        }
        names.add(FAILURES);
        return names;
    }

    /** The {@code pool} label: the range as {@code first-last}. */
    static String poolLabel(PoolRangeUsage pool) {
        return pool.range().first() + "-" + pool.range().last();
    }

    private static String subnetName(Count count) {
        return "dhcpcluster_subnet_" + count.what();
    }

    private static String poolName(Count count) {
        return "dhcpcluster_pool_" + count.what();
    }

    private static GaugeDataPointSnapshot point(Labels labels, int value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
