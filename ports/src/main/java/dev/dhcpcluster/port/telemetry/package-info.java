/**
 * The telemetry ports: what happened, for metrics and logs. The application and the adapters
 * report; an implementation counts and logs, and nothing is ever read back.
 *
 * <p>The events are split by who reports them: {@link dev.dhcpcluster.port.telemetry.DhcpEvents}
 * (the server's traffic and leases, on the application thread),
 * {@link dev.dhcpcluster.port.telemetry.StoreEvents} (a lease store's commits, on its writer
 * thread) and {@link dev.dhcpcluster.port.telemetry.PeerEvents} (the election, and a peer
 * transport's connections). An adapter takes the narrowest it needs; the node implements
 * {@link dev.dhcpcluster.port.telemetry.ClusterEvents}, all three, once, and hands it to every
 * adapter. Every method ignores its event by default, and
 * {@link dev.dhcpcluster.port.telemetry.ClusterEvents#NONE} ignores them all.
 */
package dev.dhcpcluster.port.telemetry;
