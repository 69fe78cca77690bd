package dev.dhcpcluster.port.model;

import java.util.Objects;

/**
 * The version of one address's lease, ordered the same way on every node of the cluster, so that
 * every store and every peer that holds two leases of one address keeps the same one: the higher.
 *
 * <h2>The order: epoch, then counter, then writer</h2>
 * <ol>
 * <li>{@code epoch}: a version written under a higher leadership epoch wins over any version
 *     written under a lower one, whatever their counters. A node that has acknowledged a new
 *     leader writes in the new epoch, so its changes supersede whatever a node cut off in an older
 *     epoch may still write, however many changes that node counted.
 * <li>{@code counter}: within one epoch, the later change of the address wins. Each change counts
 *     one on from the version it replaces ({@link #next}).
 * <li>{@code writer}: only breaks a tie between two nodes that both changed one address from the
 *     same version in the same epoch. By the cluster's replication rule a replica accepts a change
 *     only if it names the version the replica holds, so two such changes can never both be
 *     committed; the writer id just makes the order total, so that two stores that saw both still
 *     keep the same one.
 * </ol>
 * Arrival order plays no part: a store that receives a lower version after a higher one keeps
 * the higher.
 *
 * <p>A node alone has no leadership epoch: it writes in {@link #NO_EPOCH}, below every epoch a
 * cluster elects (those start at 1).
 *
 * <p>The canonical text form ({@link #toString()}) is {@code epoch.counter.writer}, for example
 * {@code 0.17.1}. Its parts compare as numbers, in that order; the text as a string does not.
 *
 * @param epoch the leadership epoch the version was written in; {@link #NO_EPOCH} for a node alone
 * @param counter how many changes the address has had, counting this one (see {@link #next})
 * @param writer the node that wrote this version
 */
public record LeaseVersion(long epoch, long counter, NodeId writer) implements Comparable<LeaseVersion> {

    /** The epoch of versions written outside any elected leadership: by a node alone. */
    public static final long NO_EPOCH = 0;

    public LeaseVersion {
        Objects.requireNonNull(writer, "writer");
        if (epoch < 0) {
            throw new IllegalArgumentException("a lease version's epoch is never negative, not " + epoch);
        }
        if (counter < 0) {
            throw new IllegalArgumentException("a lease version's counter is never negative, not " + counter);
        }
    }

    /**
     * The version of the first lease of an address that has none yet: counter 1 in {@code epoch},
     * written by {@code writer}.
     */
    public static LeaseVersion first(long epoch, NodeId writer) {
        return new LeaseVersion(epoch, 1, writer);
    }

    /**
     * The version of a change that replaces this one, written by {@code writer} in {@code epoch}:
     * strictly above this version.
     *
     * <p>The counter is one on from this version's in every case, also when the epoch moves up,
     * rather than starting again in the new epoch. The epoch alone would already put the new
     * version above; keeping the counter growing means that the counters of one address's
     * successive versions grow too, whatever the epochs, so that a counter never repeats in an
     * address's history and tells, on its own, which of two of its versions came later along that
     * history. It costs nothing: a {@code long} does not run out at one change per address per
     * microsecond in 290,000 years.
     *
     * @param epoch the epoch of the change: this version's or a later one
     * @throws IllegalArgumentException if {@code epoch} is below this version's: a node in an older
     *     epoch cannot supersede a version written in a newer one
     * @throws ArithmeticException if the counter is at {@link Long#MAX_VALUE}
     */
    public LeaseVersion next(long epoch, NodeId writer) {
        if (epoch < this.epoch) {
            throw new IllegalArgumentException("a change in epoch " + epoch + " cannot supersede version " + this
                    + ", written in epoch " + this.epoch);
        }
        return new LeaseVersion(epoch, Math.addExact(counter, 1), writer);
    }

    /** True if this version is strictly above {@code other}. */
    public boolean isAfter(LeaseVersion other) {
        return compareTo(other) > 0;
    }

    /** Orders by epoch, then counter, then writer id (see the class comment for why). */
    @Override
    public int compareTo(LeaseVersion other) {
        int byEpoch = Long.compare(epoch, other.epoch);
        if (byEpoch != 0) {
            return byEpoch;
        }
        int byCounter = Long.compare(counter, other.counter);
        return byCounter != 0 ? byCounter : writer.compareTo(other.writer);
    }

    /** The canonical text form, {@code epoch.counter.writer}: {@code 0.17.1}. */
    @Override
    public String toString() {
        return epoch + "." + counter + "." + writer.value();
    }
}
