package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.telemetry.StoreEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Remembers the store's events, in order. Thread-safe. */
final class RecordingStoreEvents implements StoreEvents {

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
}
