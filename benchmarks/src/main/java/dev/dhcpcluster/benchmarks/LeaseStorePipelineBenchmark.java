package dev.dhcpcluster.benchmarks;

import dev.dhcpcluster.adapter.storage.SqliteLeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Group commit as a node uses it: one thread (the node's event loop) writes one lease per
 * DHCPACK and goes on serving while up to {@code outstanding} writes wait to be durable, as many
 * clients wait for their ACKs at once. Each operation writes one lease and, when the window is
 * full, waits for the oldest write; the score is changes per second. With {@code outstanding = 1}
 * every change waits for its own fsync.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class LeaseStorePipelineBenchmark extends BenchmarkBase {

    /** Writes that may wait for durability at once: the clients waiting for their ACKs. */
    @Param({"1", "16", "64", "256"})
    public int outstanding;

    private StoreDirectory directory;
    private StoreCounting events;
    private SqliteLeaseStore store;
    private ArrayDeque<StoreCounting.Durable> waiting;
    private int nextAddress;
    private long round;

    @Setup(Level.Trial)
    public void open() throws LeaseStoreException {
        directory = StoreDirectory.create("lease-store-pipeline-");
        events = new StoreCounting();
        store = new SqliteLeaseStore(directory.path().resolve("leases.db"), () -> LeaseStoreBenchmark.NOW, events,
                Duration.ofDays(1));
        store.loadAll();
        waiting = new ArrayDeque<>(outstanding);
        System.out.println("store on " + directory.fileSystem() + " at " + directory.path());
    }

    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        while (!waiting.isEmpty()) {
            waiting.poll().await();
        }
        store.close();
        System.out.println("store: " + events.summary());
        directory.close();
    }

    @Benchmark
    public void writeOneLease() throws InterruptedException {
        if (waiting.size() == outstanding) {
            waiting.poll().await();
        }
        if (nextAddress == LeaseStoreBenchmark.ADDRESSES) {
            nextAddress = 0;
            round++;
        }
        StoreCounting.Durable durable = new StoreCounting.Durable();
        store.write(List.of(LeaseStoreBenchmark.lease(nextAddress++, round + 1)), durable);
        waiting.add(durable);
    }
}
