package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.store.AbstractLeaseStoreTest;
import dev.dhcpcluster.port.store.LeaseStore;
import java.util.Optional;

class MemoryLeaseStoreTest extends AbstractLeaseStoreTest {

    @Override
    protected LeaseStore newStore() {
        return new MemoryLeaseStore();
    }

    /** Volatile: nothing outlives the store. */
    @Override
    protected Optional<LeaseStore> reopen(LeaseStore closed) {
        return Optional.empty();
    }
}
