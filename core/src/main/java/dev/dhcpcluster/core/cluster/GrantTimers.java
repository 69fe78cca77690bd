package dev.dhcpcluster.core.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * The timing of {@link OwnershipGrants}: how long a grant lasts and how long the leader waits
 * before it may take a holding from a node it no longer hears.
 *
 * <p>With G the grant, ρ the largest clock-rate error of any node ({@code driftPpm} / 10⁶) and m
 * the margin:
 * <ul>
 *   <li>{@link #lapseWait()} = G × (1 + ρ) + m: on the leader's clock, from when it last granted
 *       a member, until that member's grant must have lapsed on the member's own clock. The grant
 *       was counted from the member's request, which left before the leader granted; a clock fast
 *       by ρ and another slow by ρ differ by a factor (1 + ρ) / (1 − ρ), which for the 2 % of the
 *       simulation is 1.041, below the 1.05 of the default ρ of 5 %.</li>
 *   <li>{@link #takeoverWait()} = (G + T) × (1 + ρ) + m: on a new leader's clock, from when it
 *       became leader, before it takes anything from anyone or hands out anything the standing
 *       assignment leaves free. It cannot know what the previous leader granted, and the previous
 *       leader may go on granting for up to T after a new one leads: T is the election's failure
 *       timeout, one heartbeat, and the longest a message may be in flight, after which the old
 *       leader has stopped hearing the majority that moved on and has stepped down.</li>
 * </ul>
 *
 * @param renewInterval how often a member asks for its grant to be renewed (and the leader plans)
 * @param grant G, the length of a grant on the member's clock from when it asked
 * @param driftPpm ρ in parts per million
 * @param margin m
 * @param takeover T
 * @param liveWindow a member that has not asked for this long is not live for the planner
 */
public record GrantTimers(Duration renewInterval, Duration grant, long driftPpm, Duration margin, Duration takeover,
        Duration liveWindow) {

    /**
     * Renew every 200 ms, G = 3 s, ρ = 5 %, m = 200 ms, T = 2.2 s (failure timeout 1 s, heartbeat
     * 200 ms, messages in flight up to 1 s), live window 1 s: a lost node's share moves 3.35 s
     * after its last grant, and a new leader moves nothing for 5.66 s.
     */
    public static final GrantTimers DEFAULTS = new GrantTimers(Duration.ofMillis(200), Duration.ofSeconds(3), 50_000,
            Duration.ofMillis(200), Duration.ofMillis(2200), Duration.ofSeconds(1));

    public GrantTimers {
        Objects.requireNonNull(renewInterval, "renewInterval");
        Objects.requireNonNull(grant, "grant");
        Objects.requireNonNull(margin, "margin");
        Objects.requireNonNull(takeover, "takeover");
        Objects.requireNonNull(liveWindow, "liveWindow");
        if (renewInterval.isNegative() || renewInterval.isZero() || grant.compareTo(renewInterval) <= 0) {
            throw new IllegalArgumentException("a grant (" + grant + ") must outlast the renew interval ("
                    + renewInterval + "), which is positive");
        }
        if (driftPpm < 0 || driftPpm >= 1_000_000 || margin.isNegative() || takeover.isNegative()) {
            throw new IllegalArgumentException("drift, margin and takeover are never negative, and drift is below 100 %");
        }
    }

    /** G × (1 + ρ) + m, in nanoseconds. */
    public long lapseWait() {
        return stretch(grant.toNanos()) + margin.toNanos();
    }

    /** (G + T) × (1 + ρ) + m, in nanoseconds. */
    public long takeoverWait() {
        return stretch(grant.toNanos() + takeover.toNanos()) + margin.toNanos();
    }

    private long stretch(long nanos) {
        return nanos + nanos / 1_000_000 * driftPpm;
    }
}
