/**
 * The DHCP ports: how datagrams reach the server and how its replies leave.
 *
 * <p>A transport ({@link dev.dhcpcluster.port.dhcp.DhcpTransport}) is an adapter: it receives
 * datagrams from wherever DHCP arrives (UDP sockets, raw frames, a controller's packet-in, an
 * in-process queue) and hands each to the node's {@link dev.dhcpcluster.port.dhcp.DhcpHandler},
 * which the application implements; the application answers later through
 * {@link dev.dhcpcluster.port.dhcp.DhcpTransport#send}, with a
 * {@link dev.dhcpcluster.port.model.Delivery} saying how the reply must reach its client.
 *
 * <p>An integrator who writes a transport implements {@code DhcpTransport} (most simply by
 * extending {@link dev.dhcpcluster.port.dhcp.ReceivingTransport}, which gets the life cycle right),
 * offers it to the node through a {@link dev.dhcpcluster.port.plugin.DhcpTransportProvider}, and
 * runs the testkit's {@code DhcpTransportContract} against it.
 */
package dev.dhcpcluster.port.dhcp;
