package dev.dhcpcluster.bootstrap.relay;

import dev.dhcpcluster.core.relay.AgentInformation;
import dev.dhcpcluster.core.relay.RelayDropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a relay has done since it started: requests forwarded, datagrams sent to each server,
 * replies returned, datagrams dropped by reason, what became of option 82, and config reloads.
 * Safe from any thread: the receive thread counts, scrapes and {@code /status} read.
 */
public final class RelayCounters {

    private final LongAdder forwarded = new LongAdder();
    private final LongAdder returned = new LongAdder();
    private final Map<Ipv4Address, LongAdder> sent = new ConcurrentHashMap<>();
    private final Map<RelayDropReason, LongAdder> dropped = new EnumMap<>(RelayDropReason.class);
    private final Map<AgentInformation, LongAdder> agentInformation = new EnumMap<>(AgentInformation.class);
    private final LongAdder reloadsApplied = new LongAdder();
    private final LongAdder reloadsRefused = new LongAdder();

    RelayCounters() {
        // Every key present from the start: the maps are then only read, which EnumMap allows from any thread.
        for (RelayDropReason reason : RelayDropReason.values()) {
            dropped.put(reason, new LongAdder());
        }
        for (AgentInformation outcome : AgentInformation.values()) {
            agentInformation.put(outcome, new LongAdder());
        }
    }

    /** The label of a drop reason or an option 82 outcome: {@code spoofed-reply}. */
    public static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    void countForwarded(AgentInformation outcome) {
        forwarded.increment();
        agentInformation.get(outcome).increment();
    }

    void countSent(Ipv4Address server) {
        sent.computeIfAbsent(server, any -> new LongAdder()).increment();
    }

    void countReturned() {
        returned.increment();
    }

    void countDropped(RelayDropReason reason) {
        dropped.get(reason).increment();
    }

    void countReload(boolean applied) {
        (applied ? reloadsApplied : reloadsRefused).increment();
    }

    /** Requests forwarded, one per request whatever the fan-out. */
    public long forwarded() {
        return forwarded.sum();
    }

    /** Replies returned to clients. */
    public long returned() {
        return returned.sum();
    }

    /** Datagrams sent to {@code server}. */
    public long sent(Ipv4Address server) {
        LongAdder count = sent.get(server);
        return count == null ? 0 : count.sum();
    }

    /** Datagrams sent, by server, for every server sent to since the relay started. */
    public Map<Ipv4Address, Long> sentByServer() {
        Map<Ipv4Address, Long> copy = new TreeMap<>();
        sent.forEach((server, count) -> copy.put(server, count.sum()));
        return copy;
    }

    /** Datagrams dropped for {@code reason}. */
    public long dropped(RelayDropReason reason) {
        return dropped.get(reason).sum();
    }

    /** Requests forwarded with {@code outcome} for option 82. */
    public long agentInformation(AgentInformation outcome) {
        return agentInformation.get(outcome).sum();
    }

    /** Reloads applied ({@code true}) or refused. */
    public long reloads(boolean applied) {
        return (applied ? reloadsApplied : reloadsRefused).sum();
    }
}
