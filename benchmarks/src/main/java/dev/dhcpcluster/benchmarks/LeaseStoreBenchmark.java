package dev.dhcpcluster.benchmarks;

import dev.dhcpcluster.adapter.storage.SqliteLeaseStore;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.store.LeaseStoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Durable throughput of the SQLite lease store: each operation writes one batch of
 * {@code batchSize} leases and waits until the store reports it durable (WAL, synchronous=FULL,
 * a real fsync on a real disk). The score is batches per second; changes per second are the score
 * times the batch size.
 *
 * <p>Every batch carries a new version of the leases of 65,536 addresses taken in turn, so each
 * change really rewrites a row and the table keeps a steady size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LeaseStoreBenchmark extends BenchmarkBase {

    static final int ADDRESSES = 65_536;
    static final long NOW = 1_700_000_000_000L;

    /** Leases per write. */
    @Param({"1", "4", "16", "64", "256", "1024"})
    public int batchSize;

    private StoreDirectory directory;
    private StoreCounting events;
    private SqliteLeaseStore store;
    private int nextAddress;
    private long round;

    @Setup(Level.Trial)
    public void open() throws LeaseStoreException {
        directory = StoreDirectory.create("lease-store-");
        events = new StoreCounting();
        // A clock that stands still: maintenance runs once at start and not during measurement.
        store = new SqliteLeaseStore(directory.path().resolve("leases.db"), () -> NOW, events, Duration.ofDays(1));
        store.loadAll();
        System.out.println("store on " + directory.fileSystem() + " at " + directory.path());
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        System.out.println("store: " + events.summary());
        directory.close();
    }

    @Benchmark
    public void writeOneBatchAndWaitUntilDurable() throws InterruptedException {
        List<Lease> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            if (nextAddress == ADDRESSES) {
                nextAddress = 0;
                round++;
            }
            batch.add(lease(nextAddress++, round + 1));
        }
        StoreCounting.Durable durable = new StoreCounting.Durable();
        store.write(batch, durable);
        durable.await();
    }

    /** The lease of the {@code index}th address of 198.18.0.0/16, as a DHCPACK would write it. */
    static Lease lease(int index, long counter) {
        HardwareAddress mac = HardwareAddress.ethernet(new byte[] {2, 0, 0x5e, 0, (byte) (index >>> 8), (byte) index});
        return new Lease(Ipv4Address.of(Ipv4Address.parse("198.18.0.0").value() + index), ClientKey.ofHardware(mac),
                mac, Optional.of("host-" + index), LeaseState.BOUND, Instant.ofEpochMilli(NOW + 3_600_000L),
                new LeaseVersion(LeaseVersion.NO_EPOCH, counter, new NodeId(1)));
    }
}
