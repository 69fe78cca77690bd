package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.core.config.LeaseTimes;
import java.time.Duration;
import java.util.Optional;

/**
 * Resolves the lease-time fields of the global scope and of each subnet into {@link LeaseTimes}.
 *
 * <p>The rules, which follow Kea's:
 * <ul>
 *   <li>{@code valid-lifetime}, {@code min-valid-lifetime} and {@code max-valid-lifetime} form a
 *       group. A scope that sets any of them sets the group: a missing valid lifetime is inherited,
 *       a missing minimum or maximum defaults to the scope's valid lifetime. A subnet that sets none
 *       inherits the global group whole. Without any, the valid lifetime is
 *       {@value #DEFAULT_VALID_LIFETIME} seconds.</li>
 *   <li>{@code renew-timer} (T1) and {@code rebind-timer} (T2) set in a subnet win. Otherwise a
 *       subnet that sets its own {@code valid-lifetime} gets 0.5 and 0.875 of it (global timers
 *       were chosen for the global lifetime), and one that does not inherits the global timers,
 *       or those fractions of the inherited lifetime when the global scope sets no timers.</li>
 *   <li>Then {@code min <= valid <= max} and {@code 0 < T1 < T2 < valid} must hold.</li>
 * </ul>
 */
final class LeaseTimesResolver {

    /** Kea's default valid lifetime, in seconds. */
    static final long DEFAULT_VALID_LIFETIME = 7200;

    /** The longest finite lease (option 51 reserves 0xffffffff for "infinite"). */
    static final long MAX_SECONDS = LeaseTimes.MAX_FINITE.toSeconds();

    private static final NodeFile.Lifetimes NONE = new NodeFile.Lifetimes(null, null, null, null, null);

    /** One resolved value and the path of the field it came from. */
    private record Sourced(long seconds, String path, boolean explicit, int depth) {
        /** The depth is the nesting of the scope: a subnet's field is deeper than a global one. */
        Sourced(long seconds, String path, boolean explicit) {
            this(seconds, path, explicit, (int) path.chars().filter(c -> c == '.').count());
        }

        String describe(String name) {
            return name + " " + seconds + (explicit ? " (" + path + ")" : " (default)");
        }
    }

    private final Sourced valid;
    private final Sourced min;
    private final Sourced max;
    private final Sourced renew;
    private final Sourced rebind;

    private LeaseTimesResolver(Sourced valid, Sourced min, Sourced max, Sourced renew, Sourced rebind) {
        this.valid = valid;
        this.min = min;
        this.max = max;
        this.renew = renew;
        this.rebind = rebind;
    }

    /**
     * The global scope, as subnets inherit it. Reports the errors of the global fields once, by
     * resolving them as a subnet that overrides nothing would.
     *
     * @param scopePath the path of the object holding the fields ({@code Dhcp4})
     */
    static Optional<LeaseTimesResolver> global(NodeFile.Lifetimes raw, String scopePath, Problems problems) {
        if (!inRange(raw, scopePath, problems)) {
            return Optional.empty();
        }
        Sourced valid = raw.valid() != null
                ? new Sourced(raw.valid(), field(scopePath, "valid-lifetime"), true)
                : new Sourced(DEFAULT_VALID_LIFETIME, field(scopePath, "valid-lifetime"), false);
        Sourced min = orDefault(raw.min(), field(scopePath, "min-valid-lifetime"), valid);
        Sourced max = orDefault(raw.max(), field(scopePath, "max-valid-lifetime"), valid);
        Sourced renew = raw.renew() == null ? null : new Sourced(raw.renew(), field(scopePath, "renew-timer"), true);
        Sourced rebind = raw.rebind() == null ? null : new Sourced(raw.rebind(), field(scopePath, "rebind-timer"), true);
        LeaseTimesResolver global = new LeaseTimesResolver(valid, min, max, renew, rebind);
        if (global.forSubnet(NONE, scopePath, problems).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(global);
    }

    /**
     * The lease times of a subnet whose own fields are {@code raw}.
     *
     * @param scopePath the path of the subnet ({@code Dhcp4.subnet4[0]})
     */
    Optional<LeaseTimes> forSubnet(NodeFile.Lifetimes raw, String scopePath, Problems problems) {
        if (!inRange(raw, scopePath, problems)) {
            return Optional.empty();
        }
        Sourced subnetValid = valid;
        Sourced subnetMin = min;
        Sourced subnetMax = max;
        if (raw.valid() != null || raw.min() != null || raw.max() != null) {
            subnetValid = raw.valid() != null ? new Sourced(raw.valid(), field(scopePath, "valid-lifetime"), true) : valid;
            subnetMin = orDefault(raw.min(), field(scopePath, "min-valid-lifetime"), subnetValid);
            subnetMax = orDefault(raw.max(), field(scopePath, "max-valid-lifetime"), subnetValid);
        }
        boolean ownLifetime = raw.valid() != null;
        Sourced subnetRenew = timer(raw.renew(), field(scopePath, "renew-timer"), ownLifetime ? null : renew,
                subnetValid, 1, 2);
        Sourced subnetRebind = timer(raw.rebind(), field(scopePath, "rebind-timer"), ownLifetime ? null : rebind,
                subnetValid, 7, 8);

        int before = problems.size();
        if (subnetMin.seconds() > subnetValid.seconds()) {
            problems.add(blame(subnetMin, subnetValid), subnetMin.describe("min-valid-lifetime")
                    + " is above " + subnetValid.describe("valid-lifetime"));
        }
        if (subnetMax.seconds() < subnetValid.seconds()) {
            problems.add(blame(subnetMax, subnetValid), subnetMax.describe("max-valid-lifetime")
                    + " is below " + subnetValid.describe("valid-lifetime"));
        }
        if (subnetRenew.seconds() < 1 || subnetRebind.seconds() <= subnetRenew.seconds() && !subnetRenew.explicit()
                && !subnetRebind.explicit()) {
            problems.add(subnetValid.path(), subnetValid.describe("valid-lifetime")
                    + " is too short to derive renew-timer and rebind-timer from; set them");
        } else if (subnetRenew.seconds() >= subnetRebind.seconds()) {
            problems.add(blame(subnetRenew, subnetRebind), subnetRenew.describe("renew-timer")
                    + " must be below " + subnetRebind.describe("rebind-timer"));
        } else if (subnetRebind.seconds() >= subnetValid.seconds()) {
            problems.add(blame(subnetRebind, subnetValid), subnetRebind.describe("rebind-timer")
                    + " must be below " + subnetValid.describe("valid-lifetime"));
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new LeaseTimes(
                Duration.ofSeconds(subnetValid.seconds()),
                Duration.ofSeconds(subnetMin.seconds()),
                Duration.ofSeconds(subnetMax.seconds()),
                Duration.ofSeconds(subnetRenew.seconds()),
                Duration.ofSeconds(subnetRebind.seconds())));
    }

    private static Sourced timer(Long own, String ownPath, Sourced inherited, Sourced lifetime, long numerator,
            long denominator) {
        if (own != null) {
            return new Sourced(own, ownPath, true);
        }
        if (inherited != null) {
            return inherited;
        }
        return new Sourced(lifetime.seconds() * numerator / denominator, lifetime.path(), false);
    }

    private static Sourced orDefault(Long value, String path, Sourced fallback) {
        return value != null ? new Sourced(value, path, true) : new Sourced(fallback.seconds(), fallback.path(), false);
    }

    /**
     * The path to report a conflict at: a value the operator wrote rather than a default, the one
     * in the more specific scope, and else the first of the two, which the message names first.
     */
    private static String blame(Sourced first, Sourced second) {
        if (first.explicit() && second.explicit()) {
            return second.depth() > first.depth() ? second.path() : first.path();
        }
        return first.explicit() ? first.path() : second.path();
    }

    private static boolean inRange(NodeFile.Lifetimes raw, String scopePath, Problems problems) {
        int before = problems.size();
        checkRange(raw.valid(), field(scopePath, "valid-lifetime"), problems);
        checkRange(raw.min(), field(scopePath, "min-valid-lifetime"), problems);
        checkRange(raw.max(), field(scopePath, "max-valid-lifetime"), problems);
        checkRange(raw.renew(), field(scopePath, "renew-timer"), problems);
        checkRange(raw.rebind(), field(scopePath, "rebind-timer"), problems);
        return problems.size() == before;
    }

    private static void checkRange(Long seconds, String path, Problems problems) {
        if (seconds != null && (seconds < 1 || seconds > MAX_SECONDS)) {
            problems.add(path, seconds + " is not 1 to " + MAX_SECONDS + " seconds");
        }
    }

    private static String field(String scopePath, String name) {
        return scopePath + "." + name;
    }
}
