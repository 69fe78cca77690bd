package dev.dhcpcluster.bootstrap.embed;

/** Where a {@link DhcpNode} is in its life. */
public enum NodeState {
    /** Built, not started. */
    NEW,
    /** Starting: binding its transport, loading its leases, joining its cluster. */
    STARTING,
    /** Serving DHCP. */
    SERVING,
    /** Stopped, by {@link DhcpNode#stop} or because it could not start. */
    STOPPED,
    /** Stopped by a failure while it served ({@link DhcpNodeStatus#failure}). */
    FAILED
}
