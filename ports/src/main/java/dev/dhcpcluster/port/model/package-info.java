/**
 * The value types every port speaks in: addresses ({@link dev.dhcpcluster.port.model.Ipv4Address},
 * {@link dev.dhcpcluster.port.model.HardwareAddress}), who a client is
 * ({@link dev.dhcpcluster.port.model.ClientKey}), what a node holds
 * ({@link dev.dhcpcluster.port.model.Lease} with its {@link dev.dhcpcluster.port.model.LeaseState}
 * and cluster-wide {@link dev.dhcpcluster.port.model.LeaseVersion}), which node
 * ({@link dev.dhcpcluster.port.model.NodeId}), and what travels through a transport
 * ({@link dev.dhcpcluster.port.model.Datagram}, {@link dev.dhcpcluster.port.model.Delivery}).
 *
 * <p>Every type is immutable and checks its values when it is built, so an adapter that holds one
 * holds a valid one. Nobody implements anything here: adapters and the application only build and
 * read these values.
 */
package dev.dhcpcluster.port.model;
