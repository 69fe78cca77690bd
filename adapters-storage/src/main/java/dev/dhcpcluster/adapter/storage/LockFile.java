package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.store.LeaseStoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a file beside the lease database, held while a store has it open, so that
 * two nodes (or two stores in one process) never write one database. The operating system drops
 * the lock when the process ends, however it ends, so a crashed node does not leave it behind.
 *
 * <p>The lock is on a separate file because SQLite's own locks on the database are POSIX locks,
 * which a second file descriptor on the same file in the same process would release.
 */
final class LockFile implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private LockFile(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file that guards {@code database}: its name with {@code .lock} appended. */
    static Path pathFor(Path database) {
        return database.resolveSibling(database.getFileName() + ".lock");
    }

    /**
     * Takes the lock of {@code database}.
     *
     * @throws LeaseStoreException if another process, or another store of this process, holds it
     */
    static LockFile acquire(Path database) throws LeaseStoreException {
        Path path = pathFor(database);
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new LeaseStoreException("cannot create the lock file " + path + " of the lease database: " + e, e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new LeaseStoreException("the lease database " + database
                        + " is in use by another process (it holds " + path + ")");
            }
            return new LockFile(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new LeaseStoreException("the lease database " + database + " is already open in this process", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new LeaseStoreException("cannot lock " + path + " of the lease database: " + e, e);
        } catch (LeaseStoreException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Releases the lock; the file stays, since removing it could race with the next owner. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel below releases it as well.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing is written through this channel: there is nothing to lose.
        }
    }
}
