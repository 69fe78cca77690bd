package dev.dhcpcluster.benchmarks;

import dev.dhcpcluster.adapter.storage.SqliteLeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Group commit at work: many threads, each writing single leases and waiting for each to be
 * durable before the next, like clients waiting for their DHCPACKs. The score is changes per
 * second over all threads; the log of the run says how many changes one commit carried. Choose
 * the number of writers with {@code -t}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(16)
public class LeaseStoreGroupCommitBenchmark extends BenchmarkBase {

    private StoreDirectory directory;
    private StoreCounting events;
    private SqliteLeaseStore store;
    private final AtomicInteger writers = new AtomicInteger();

    /** One writer's addresses: its own slice of the 65,536, so that writers never touch one row. */
    @State(Scope.Thread)
    public static class Writer {
        private int first;
        private int slice;
        private int next;
        private long round;

        @Setup(Level.Trial)
        public void join(LeaseStoreGroupCommitBenchmark benchmark) {
            int index = benchmark.writers.getAndIncrement();
            slice = LeaseStoreBenchmark.ADDRESSES / 256;
            first = (index % 256) * slice;
        }
    }

    @Setup(Level.Trial)
    public void open() throws LeaseStoreException {
        directory = StoreDirectory.create("lease-store-group-");
        events = new StoreCounting();
        store = new SqliteLeaseStore(directory.path().resolve("leases.db"), () -> LeaseStoreBenchmark.NOW, events,
                Duration.ofDays(1));
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
    public void writeOneLeaseAndWaitUntilDurable(Writer writer) throws InterruptedException {
        if (writer.next == writer.slice) {
            writer.next = 0;
            writer.round++;
        }
        StoreCounting.Durable durable = new StoreCounting.Durable();
        store.write(List.of(LeaseStoreBenchmark.lease(writer.first + writer.next++, writer.round + 1)), durable);
        durable.await();
    }
}
