package dev.dhcpcluster.benchmarks;

import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.core.pool.AddressBlock;
import dev.dhcpcluster.core.pool.AddressPool;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One allocation and one release in a pool kept at a steady fill: the address allocated longest
 * ago is given back each time, as leases end in the order they began. This is the cost a DISCOVER
 * from a new client pays in the pool.
 *
 * <p>With {@code owned = half}, every second address block of the pool belongs to another node of
 * a cluster: its addresses stay free but are not this node's to give, so each scan must skip them.
 * The fill is then of the owned blocks. (A pool of one block keeps it.)
 *
 * <p>Pools reach 16 M addresses, a whole /8: the scan's cost must not grow with the pool. Pools
 * that fit lie in 198.18.0.0/15; the two larger ones start at 127.0.0.0 (nothing is sent: a pool
 * is only numbers here). The largest, 99 % full, holds about 66 MB of allocated addresses in the
 * benchmark's own array besides the pool's 4 MB of bitmaps, well within {@link BenchmarkBase}'s heap.
 */
@State(Scope.Thread)
public class AllocationBenchmark extends BenchmarkBase {

    /** The host addresses of 198.18.0.0/15 from 198.18.0.1 on. */
    private static final int BENCHMARKING_BLOCK = (1 << 17) - 2;

    /**
     * Addresses in the pool: a /24, a /20 and all of 198.18.0.0/15 less their network and
     * broadcast addresses, then a /12 and a /8 whole.
     */
    @Param({"254", "4094", "131070", "1048576", "16777216"})
    public int size;

    /** How full the pool is kept, in percent. */
    @Param({"50", "90", "99"})
    public int fillPercent;

    /** Which address blocks this node owns: {@code all}, as a node alone, or {@code half}, every second one. */
    @Param({"all", "half"})
    public String owned;

    private AddressPool pool;
    private int[] inUse;
    private int oldest;

    @Setup(Level.Trial)
    public void fill() {
        Ipv4Address first = Ipv4Address.parse(size <= BENCHMARKING_BLOCK ? "198.18.0.1" : "127.0.0.0");
        pool = new AddressPool(List.of(new AddressRange(first, first.plus(size - 1))));
        if (owned.equals("half")) {
            List<AddressBlock> blocks = pool.blocks();
            for (int i = 1; i < blocks.size(); i += 2) {
                pool.withdraw(blocks.get(i));
            }
        } else if (!owned.equals("all")) {
            throw new IllegalArgumentException("owned is all or half, not " + owned);
        }
        inUse = new int[Math.max(1, pool.ownedFreeCount() * fillPercent / 100)];
        for (int i = 0; i < inUse.length; i++) {
            inUse[i] = pool.allocate();
        }
        oldest = 0;
    }

    @Benchmark
    public int allocateAndReleaseOldest() {
        int address = pool.allocate();
        pool.release(inUse[oldest]);
        inUse[oldest] = address;
        oldest = oldest + 1 == inUse.length ? 0 : oldest + 1;
        return address;
    }
}
