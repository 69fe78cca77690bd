package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.port.telemetry.ElectionEvent;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A simulated node's telemetry: its election events go to the simulation's trace, and the rest,
 * which no simulated node produces or no checker reads, is ignored.
 *
 * @param sink what receives each election event
 */
record ElectionEventSink(Consumer<ElectionEvent> sink) implements ClusterEvents {

    @Override
    public void election(ElectionEvent event) {
        sink.accept(event);
    }

    @Override
    public void requestReceived(DhcpMessageType type) {
    }

    @Override
    public void replySent(DhcpMessageType type) {
    }

    @Override
    public void dropped(DropReason reason, String detail) {
    }

    @Override
    public void leaseBound(Lease lease) {
    }

    @Override
    public void leaseReleased(Lease lease) {
    }

    @Override
    public void addressDeclined(Lease lease) {
    }

    @Override
    public void poolExhausted(Ipv4Address subnet, int prefixLength) {
    }

    @Override
    public void storeCommitted(int changes, Duration latency, int pending) {
    }

    @Override
    public void storeFailed(String cause, int pending) {
    }
}
