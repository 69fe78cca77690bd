package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.testkit.contract.LeaseStoreContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The {@link LeaseStore} contract, persistence across reopen included, on a real file. */
class SqliteLeaseStoreTest extends LeaseStoreContract {

    @TempDir
    Path directory;

    private int files;

    @Override
    protected LeaseStore newStore() throws Exception {
        SqliteLeaseStore store = open(directory.resolve("leases-" + ++files + ".db"));
        store.loadAll();
        return store;
    }

    /** A second store over the file; the test's first call of loadAll() opens it. */
    @Override
    protected Optional<LeaseStore> reopen(LeaseStore closed) {
        return Optional.of(open(((SqliteLeaseStore) closed).databaseFile()));
    }

    private static SqliteLeaseStore open(Path file) {
        // The clock stands at the epoch: no lease of the contract is old enough to be cleaned up.
        return new SqliteLeaseStore(file, () -> 0L, ClusterEvents.NONE, Duration.ofDays(1));
    }
}
