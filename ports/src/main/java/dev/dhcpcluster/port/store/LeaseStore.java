package dev.dhcpcluster.port.store;

import dev.dhcpcluster.port.model.Lease;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Outbound port: keeps leases across restarts.
 *
 * <p>A store holds at most one lease per address: the one with the highest
 * {@link Lease#version()} written to it, in the cluster-wide order of
 * {@link dev.dhcpcluster.port.model.LeaseVersion} (epoch, then counter, then writer), never the
 * last to arrive. Writing a lease whose version is not higher than the stored one for the same
 * address, in a later batch or later in the same batch, leaves the stored one in place; the write
 * still completes normally ({@code durable}, once the rest of its batch is), since what it carried
 * is already superseded by a version the store holds durably. A stored lease loads back equal
 * to the lease written, every field of it: the {@link Lease#hostnameSent() host name the client
 * sent} too, octet for octet, whatever the octets (an empty name included, and kept apart from none).
 *
 * <h2>Durability</h2>
 * {@link #write} returns at once and reports through its {@link WriteCompletion} when the batch
 * is durable. The server sends a reply that depends on a lease (a DHCPACK) only after that
 * report, so a store must not report {@code durable} before the data would survive a crash of
 * the process and, for a store that claims durability, of the machine. A volatile store (kept in
 * memory) reports at once and says so in its documentation.
 *
 * <h2>Threads</h2>
 * Every method may be called from any thread. Batches written from one thread are applied in the
 * order written.
 */
public interface LeaseStore extends AutoCloseable {

    /**
     * Reads every stored lease, one per address. Called once at start, before any write.
     *
     * @throws LeaseStoreException if the medium cannot be read
     */
    List<Lease> loadAll() throws LeaseStoreException;

    /**
     * Hands every stored lease, one per address, to {@code each}, one at a time on the calling
     * thread, and returns how many it handed: the leases {@link #loadAll} would return, without a
     * list of them all, so that a node with a million leases never holds them all at once. A node
     * calls this at start in place of {@link #loadAll}, once, before any write; like
     * {@link #loadAll}, the first call opens the store.
     *
     * <p>The default hands over the list {@link #loadAll} returns, so a store written before this
     * method existed keeps working unchanged. A store that can read its medium row by row (a
     * database cursor, a file read line by line) should override it and build each lease as it
     * reads it. If {@code each} throws, the exception propagates to the caller as it is.
     *
     * @return how many leases were handed to {@code each}
     * @throws LeaseStoreException if the medium cannot be read
     */
    default long loadEach(Consumer<? super Lease> each) throws LeaseStoreException {
        List<Lease> leases = loadAll();
        leases.forEach(each);
        return leases.size();
    }

    /**
     * How many leases {@link #loadEach} would hand over, if the store can tell cheaply before it
     * reads them (a database's row count, a file's header), or empty. A node calls it at start,
     * before {@link #loadEach}, and sizes its lease table for that many at once instead of growing
     * it while the leases come: with a million leases, growing copies large arrays several times.
     *
     * <p>It is a hint, never a promise: {@link #loadEach} may then hand over more or fewer (a
     * write by another process in between, a migration), and the node loads whatever it is
     * handed. It must not open, create, lock or change the medium, and it reports no error: a
     * store that cannot count (no medium yet, a file it cannot read now) answers empty, and
     * {@link #loadEach} reports what is wrong. The default answers empty.
     */
    default OptionalLong storedCount() {
        return OptionalLong.empty();
    }

    /**
     * Proves that the store can make a change durable now, leaving what it holds as it was. A
     * store that could read its leases but cannot commit (a full disk, a file it may not write)
     * must fail here, so that a node refuses to start rather than serve clients it could never
     * acknowledge. A volatile store, which makes nothing durable, returns at once. Called at start,
     * after {@link #loadAll}, before the node serves; it may block for as long as one commit takes.
     *
     * @throws LeaseStoreException if a change cannot be made durable, the message naming the store
     *     and the reason; also if the store is not open (before {@link #loadAll}) or is closed
     */
    void checkWritable() throws LeaseStoreException;

    /**
     * Whether the store's medium already holds what an earlier run of the node wrote: true for a
     * durable store whose file (or database) exists, false for one that {@link #loadAll} will
     * create, and for a volatile store, which is what the default says. Called before
     * {@link #loadAll}. A cluster member that voted in an election before and finds its store new
     * has lost its leases, and catches up from its peers before it serves.
     */
    default boolean mediumExists() {
        return false;
    }

    /**
     * What the store is and where it keeps its leases, in a few words for the node's log and
     * status, for example {@code sqlite /var/lib/dhcpcluster/leases.db}. The default names the class.
     */
    default String describe() {
        // An anonymous class has no simple name.
        return getClass().getSimpleName().isEmpty() ? getClass().getName() : getClass().getSimpleName();
    }

    /**
     * Stores a batch of leases and reports when it is durable. An empty batch completes at once.
     * A write after {@link #close} fails through the completion.
     */
    void write(List<Lease> batch, WriteCompletion completion);

    /** Completes every write already accepted, then releases the medium. Idempotent. */
    @Override
    void close();
}
