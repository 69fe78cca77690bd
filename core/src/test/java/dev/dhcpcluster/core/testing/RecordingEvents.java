package dev.dhcpcluster.core.testing;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.port.telemetry.ElectionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@link ClusterEvents} that remembers every event, in order, for assertions. Thread-safe. */
public final class RecordingEvents implements ClusterEvents {

    /** One {@link #dropped} call. */
    public record Drop(DropReason reason, String detail) {
    }

    /** One {@link #poolExhausted} call. */
    public record Exhaustion(Ipv4Address subnet, int prefixLength) {
    }

    /** One {@link #hostnameRefused} call. */
    public record RefusedHostname(int option, String name) {
    }

    /** One {@link #storeCommitted} call. */
    public record StoreCommit(int changes, Duration latency, int pending) {
    }

    /** One {@link #storeFailed} call. */
    public record StoreFailure(String cause, int pending) {
    }

    private final List<DhcpMessageType> requests = new ArrayList<>();
    private final List<DhcpMessageType> replies = new ArrayList<>();
    private final List<Drop> drops = new ArrayList<>();
    private final List<RefusedHostname> refusedHostnames = new ArrayList<>();
    private final List<Lease> bound = new ArrayList<>();
    private final List<Lease> released = new ArrayList<>();
    private final List<Lease> declined = new ArrayList<>();
    private final List<Exhaustion> exhausted = new ArrayList<>();
    private final List<StoreCommit> storeCommits = new ArrayList<>();
    private final List<StoreFailure> storeFailures = new ArrayList<>();
    private final List<ElectionEvent> elections = new ArrayList<>();

    @Override
    public synchronized void requestReceived(DhcpMessageType type) {
        requests.add(type);
    }

    @Override
    public synchronized void replySent(DhcpMessageType type) {
        replies.add(type);
    }

    @Override
    public synchronized void dropped(DropReason reason, String detail) {
        drops.add(new Drop(reason, detail));
    }

    @Override
    public synchronized void hostnameRefused(int option, String name) {
        refusedHostnames.add(new RefusedHostname(option, name));
    }

    @Override
    public synchronized void leaseBound(Lease lease) {
        bound.add(lease);
    }

    @Override
    public synchronized void leaseReleased(Lease lease) {
        released.add(lease);
    }

    @Override
    public synchronized void addressDeclined(Lease lease) {
        declined.add(lease);
    }

    @Override
    public synchronized void poolExhausted(Ipv4Address subnet, int prefixLength) {
        exhausted.add(new Exhaustion(subnet, prefixLength));
    }

    @Override
    public synchronized void storeCommitted(int changes, Duration latency, int pending) {
        storeCommits.add(new StoreCommit(changes, latency, pending));
    }

    @Override
    public synchronized void storeFailed(String cause, int pending) {
        storeFailures.add(new StoreFailure(cause, pending));
    }

    @Override
    public synchronized void election(ElectionEvent event) {
        elections.add(event);
    }

    public synchronized List<ElectionEvent> elections() {
        return List.copyOf(elections);
    }

    /** The kinds of every election event, in order. */
    public synchronized List<ElectionEvent.Kind> electionKinds() {
        return elections.stream().map(ElectionEvent::kind).toList();
    }

    public synchronized List<DhcpMessageType> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<DhcpMessageType> replies() {
        return List.copyOf(replies);
    }

    public synchronized List<Drop> drops() {
        return List.copyOf(drops);
    }

    /** The reasons of every drop, in order. */
    public synchronized List<DropReason> dropReasons() {
        return drops.stream().map(Drop::reason).toList();
    }

    public synchronized List<RefusedHostname> refusedHostnames() {
        return List.copyOf(refusedHostnames);
    }

    public synchronized List<Lease> bound() {
        return List.copyOf(bound);
    }

    public synchronized List<Lease> released() {
        return List.copyOf(released);
    }

    public synchronized List<Lease> declined() {
        return List.copyOf(declined);
    }

    public synchronized List<Exhaustion> exhausted() {
        return List.copyOf(exhausted);
    }

    public synchronized List<StoreCommit> storeCommits() {
        return List.copyOf(storeCommits);
    }

    public synchronized List<StoreFailure> storeFailures() {
        return List.copyOf(storeFailures);
    }
}
