/**
 * Contract tests an adapter extends: {@link dev.dhcpcluster.testkit.contract.DhcpTransportContract}
 * for a transport (over any network: it assumes no socket), and {@link
 * dev.dhcpcluster.testkit.contract.LeaseStoreContract} for a lease store. Each is an abstract JUnit 5
 * class; a subclass of a few lines says how to build the adapter, and JUnit runs the inherited tests.
 */
package dev.dhcpcluster.testkit.contract;
