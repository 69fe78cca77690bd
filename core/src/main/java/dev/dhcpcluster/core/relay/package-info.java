/**
 * The relay agent: its forwarding rules (RFC 1542 §4, RFC 2131 §4.1, RFC 3046) as pure functions
 * of a datagram's bytes, and its knowledge of the cluster. {@link dev.dhcpcluster.core.relay.RelayAgent}
 * decides what a request from a client becomes on its way to the servers, and what a server's reply
 * becomes on its way back to the client, or why either is dropped. It edits the received octets in
 * place of re-encoding them, so that a client's message reaches the server exactly as the client
 * wrote it, with only the fields a relay owns changed.
 *
 * <p>In a cluster, {@link dev.dhcpcluster.core.relay.ClusterWatch} folds the nodes' reports into a
 * {@link dev.dhcpcluster.core.relay.ClusterPicture}, and {@link dev.dhcpcluster.core.relay.RelayRoutes}
 * picks from it the servers of each request: the owner of the client's bucket when it is alive.
 * {@link dev.dhcpcluster.core.relay.ClientRateLimiter} throttles a client that floods. Like the rest
 * of core, nothing here does I/O, reads a clock or starts a thread: time comes in as the nanoseconds
 * of the caller's monotonic clock, and the stateful pieces belong to one event loop.
 */
package dev.dhcpcluster.core.relay;
