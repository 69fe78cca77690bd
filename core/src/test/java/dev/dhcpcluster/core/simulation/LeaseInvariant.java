package dev.dhcpcluster.core.simulation;

/** What lease replication must never break, checked by the lease simulation (see {@link LeaseSimulation}). */
public enum LeaseInvariant {
    /**
     * No address is held by two clients at once: judged from the clients' own ACK history, each
     * ACK holding its address from its arrival until the client's expiry of it (the time the
     * client sent the request plus the lease time) or the client's release, whichever is first.
     */
    NO_ADDRESS_HELD_TWICE,
    /**
     * Every ACKed lease that its client still holds is on the disks of a majority: the number of
     * disks that hold its address at a later version, or at its version for the same client (a
     * writer that restarted can give another client's lease the same version), plus the disks wiped since its
     * change was proposed, is at least a majority of the configured cluster; and at least one disk
     * holds it.
     */
    ACKED_LEASE_ON_MAJORITY_OF_DISKS,
    /**
     * Once the faults stop, every client that asks (bind or renew) is acknowledged within the stated
     * bound; judged in the runs where more nodes than a bare majority kept their disk.
     */
    CLIENTS_SERVED_AFTER_FAULTS,
    /**
     * While no fault is injected (every node up, the network whole and calm), a client's DISCOVER
     * draws OFFERs from one node at most: its bucket has one holder (full-stack simulation, see
     * {@link ClusterSimulation}).
     */
    ONE_OFFER_PER_DISCOVER
}
