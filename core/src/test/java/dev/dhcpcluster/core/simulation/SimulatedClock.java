package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.port.time.Clock;

/**
 * One node's clock in a simulation: it reads the shared virtual time through the node's own
 * oscillator, which may run fast or slow by {@code ratePpm} parts per million. A clock survives its
 * node's crashes, as a machine's clock does.
 */
public final class SimulatedClock implements Clock {

    private static final long MILLION = 1_000_000L;

    private final EventQueue time;
    private final long ratePpm;
    private final long originMillis;

    /**
     * @param time the shared virtual time
     * @param ratePpm how fast this clock runs, in parts per million above (positive) or below real time
     * @param originMillis the wall-clock time this clock shows at virtual time 0
     */
    public SimulatedClock(EventQueue time, long ratePpm, long originMillis) {
        if (Math.abs(ratePpm) >= MILLION / 2) {
            throw new IllegalArgumentException("a clock rate error of " + ratePpm + " ppm is not a clock");
        }
        this.time = time;
        this.ratePpm = ratePpm;
        this.originMillis = originMillis;
    }

    public long ratePpm() {
        return ratePpm;
    }

    @Override
    public long elapsedNanos() {
        long global = time.now();
        return global + Math.floorDiv(global * ratePpm, MILLION);
    }

    @Override
    public long millis() {
        return originMillis + elapsedNanos() / MILLION;
    }

    /** How much virtual time passes before this clock has moved by at least {@code localNanos}. */
    public long virtualDelay(long localNanos) {
        if (localNanos <= 0) {
            return 0;
        }
        long rate = MILLION + ratePpm;
        return (localNanos * MILLION + rate - 1) / rate + 1;
    }
}
