package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Remembers the store's events, in order; the others cannot come from a store. Thread-safe. */
final class RecordingStoreEvents implements ClusterEvents {

    /** One {@link #storeCommitted} call. */
    record Commit(int changes, Duration latency, int pending) {
    }

    /** One {@link #storeFailed} call. */
    record Failure(String cause, int pending) {
    }

    private final List<Object> storeEvents = new ArrayList<>();

    @Override
    public synchronized void storeCommitted(int changes, Duration latency, int pending) {
        storeEvents.add(new Commit(changes, latency, pending));
    }

    @Override
    public synchronized void storeFailed(String cause, int pending) {
        storeEvents.add(new Failure(cause, pending));
    }

    /** Every commit and failure, in order. */
    synchronized List<Object> all() {
        return List.copyOf(storeEvents);
    }

    synchronized List<Commit> commits() {
        return storeEvents.stream().filter(Commit.class::isInstance).map(Commit.class::cast).toList();
    }

    synchronized List<Failure> failures() {
        return storeEvents.stream().filter(Failure.class::isInstance).map(Failure.class::cast).toList();
    }

    /** Leases written by every commit so far. */
    synchronized int changesCommitted() {
        return commits().stream().mapToInt(Commit::changes).sum();
    }

    @Override
    public void requestReceived(DhcpMessageType type) {
        throw new AssertionError("a store does not receive requests");
    }

    @Override
    public void replySent(DhcpMessageType type) {
        throw new AssertionError("a store does not send replies");
    }

    @Override
    public void dropped(DropReason reason, String detail) {
        throw new AssertionError("a store does not drop datagrams");
    }

    @Override
    public void leaseBound(Lease lease) {
        throw new AssertionError("a store does not bind leases");
    }

    @Override
    public void leaseReleased(Lease lease) {
        throw new AssertionError("a store does not release leases");
    }

    @Override
    public void addressDeclined(Lease lease) {
        throw new AssertionError("a store does not decline addresses");
    }

    @Override
    public void poolExhausted(Ipv4Address subnet, int prefixLength) {
        throw new AssertionError("a store does not allocate addresses");
    }
}
