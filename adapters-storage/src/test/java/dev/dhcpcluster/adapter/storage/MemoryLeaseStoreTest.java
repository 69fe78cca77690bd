package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.testkit.contract.LeaseStoreContract;
import java.util.Optional;

class MemoryLeaseStoreTest extends LeaseStoreContract {

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
