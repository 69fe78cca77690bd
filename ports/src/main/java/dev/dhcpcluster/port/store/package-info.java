/**
 * The lease store port: where a node keeps its leases across restarts.
 *
 * <p>A store ({@link dev.dhcpcluster.port.store.LeaseStore}) is an adapter. The application loads
 * every lease from it at start and writes batches to it; the store reports each batch's outcome
 * through a {@link dev.dhcpcluster.port.store.WriteCompletion}, which the application implements,
 * and a DHCPACK leaves the node only once its lease is reported durable. The durability contract,
 * the order of versions and the threads are in {@code LeaseStore}'s documentation.
 *
 * <p>An integrator who keeps leases in a database of their own implements {@code LeaseStore},
 * offers it to the node through a {@link dev.dhcpcluster.port.plugin.LeaseStoreProvider}, and runs
 * the testkit's contract test {@code LeaseStoreContract} against it.
 */
package dev.dhcpcluster.port.store;
