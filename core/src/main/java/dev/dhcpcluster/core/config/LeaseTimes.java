package dev.dhcpcluster.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How long leases last and when clients renew (RFC 2131 §4.4.5), as Kea's
 * {@code valid-lifetime}, {@code min-valid-lifetime}, {@code max-valid-lifetime},
 * {@code renew-timer} and {@code rebind-timer}.
 *
 * @param valid the lease time given to a client that asks for none
 * @param min the shortest lease time granted to a client that asks for one
 * @param max the longest lease time granted to a client that asks for one
 * @param renew T1, option 58
 * @param rebind T2, option 59
 */
public record LeaseTimes(Duration valid, Duration min, Duration max, Duration renew, Duration rebind) {

    /** The longest time option 51 can say short of "infinite" (0xffffffff). */
    public static final Duration MAX_FINITE = Duration.ofSeconds(0xFFFFFFFEL);

    /** The lease time when a configuration sets none: two hours, Kea's default {@code valid-lifetime}. */
    public static final Duration DEFAULT_VALID = Duration.ofSeconds(7200);

    public LeaseTimes {
        Objects.requireNonNull(valid, "valid");
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(renew, "renew");
        Objects.requireNonNull(rebind, "rebind");
        if (valid.toSeconds() < 1 || valid.compareTo(MAX_FINITE) > 0) {
            throw new IllegalArgumentException("valid-lifetime must be 1 to 4294967294 seconds, not " + valid.toSeconds());
        }
        if (min.compareTo(valid) > 0 || max.compareTo(valid) < 0) {
            throw new IllegalArgumentException("min-valid-lifetime (" + min.toSeconds() + ") <= valid-lifetime ("
                    + valid.toSeconds() + ") <= max-valid-lifetime (" + max.toSeconds() + ") does not hold");
        }
        if (min.toSeconds() < 1 || max.compareTo(MAX_FINITE) > 0) {
            throw new IllegalArgumentException("lease lifetimes must be 1 to 4294967294 seconds");
        }
        if (!(renew.toSeconds() > 0 && renew.compareTo(rebind) < 0 && rebind.compareTo(valid) < 0)) {
            throw new IllegalArgumentException("0 < renew-timer (" + renew.toSeconds() + ") < rebind-timer ("
                    + rebind.toSeconds() + ") < valid-lifetime (" + valid.toSeconds() + ") does not hold");
        }
    }

    /**
     * Times with the RFC 2131 defaults: T1 at half the lease, T2 at seven eighths, and no room to
     * ask for a longer or shorter lease.
     */
    public static LeaseTimes of(Duration valid) {
        return new LeaseTimes(valid, valid, valid, valid.dividedBy(2), valid.multipliedBy(7).dividedBy(8));
    }

    /**
     * The lease time for a client that asked for {@code requested} (option 51), or for none:
     * the request clamped to [min, max].
     */
    public Duration grant(java.util.Optional<Duration> requested) {
        if (requested.isEmpty()) {
            return valid;
        }
        Duration asked = requested.get();
        if (asked.compareTo(min) < 0) {
            return min;
        }
        return asked.compareTo(max) > 0 ? max : asked;
    }

    /** T1 for a granted lease time: the configured T1 scaled to the granted time. */
    public Duration renewFor(Duration granted) {
        return scale(renew, granted);
    }

    /** T2 for a granted lease time: the configured T2 scaled to the granted time. */
    public Duration rebindFor(Duration granted) {
        return scale(rebind, granted);
    }

    private Duration scale(Duration timer, Duration granted) {
        if (granted.equals(valid)) {
            return timer;
        }
        // Keep the configured proportion of the lease, so that T1 < T2 < lease holds for every grant.
        return Duration.ofMillis(granted.toMillis() * timer.toMillis() / valid.toMillis());
    }
}
