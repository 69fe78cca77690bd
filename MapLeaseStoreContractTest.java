package dev.dhcpcluster.example;

import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.testkit.contract.LeaseStoreContract;
import java.util.Optional;
import java.util.UUID;

/** The example's store keeps the LeaseStore contract; its map outlives a store closed and made again. */
class MapLeaseStoreContractTest extends LeaseStoreContract {

    private final String name = "contract-" + UUID.randomUUID();

    @Override
    protected LeaseStore newStore() {
        return new MapLeaseStore(name);
    }

    @Override
    protected Optional<LeaseStore> reopen(LeaseStore closed) {
        return Optional.of(new MapLeaseStore(name));
    }
}
