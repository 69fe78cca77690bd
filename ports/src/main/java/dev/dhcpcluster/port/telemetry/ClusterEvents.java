package dev.dhcpcluster.port.telemetry;

/**
 * Outbound port: everything a node reports, for metrics and logs: its DHCP traffic
 * ({@link DhcpEvents}), its lease store's commits ({@link StoreEvents}) and its peers
 * ({@link PeerEvents}). The application and the adapters report; an implementation counts and
 * logs, and never answers back.
 *
 * <p>An adapter takes the narrowest of the three it reports to (a lease store takes
 * {@code StoreEvents}, a peer transport {@code PeerEvents}); the node hands every adapter its one
 * {@code ClusterEvents}. Each interface's Javadoc gives the thread its methods are called on:
 * since the three come from different threads at once, an implementation of this interface must
 * be thread-safe.
 *
 * <p>Every method ignores its event by default; {@link #NONE} ignores all of them, for a test or
 * a tool that has nobody to tell.
 */
public interface ClusterEvents extends DhcpEvents, StoreEvents, PeerEvents {

    /** Events that ignore everything they hear. */
    ClusterEvents NONE = new ClusterEvents() {
        @Override
        public String toString() {
            return "ClusterEvents.NONE";
        }
    };
}
