package dev.dhcpcluster.testkit.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of a {@link LoadGenerator} run.
 *
 * @param requested how many clients tried
 * @param obtained how many got a lease
 * @param uniqueAddresses how many distinct addresses were leased
 * @param renewed how many renewed their lease and kept the address
 * @param released how many RELEASEs were sent
 * @param naks how many DHCPNAKs arrived (each one is also a failure)
 * @param ignored replies that did not fit their client's state (late duplicates, extra offers)
 * @param failures one line per client that failed, with the reason
 * @param duplicates one line per address leased to two clients at once
 * @param elapsed from the first DISCOVER to the last lease
 * @param latency DISCOVER-to-ACK time per client, retries included
 */
public record ClientReport(
        int requested,
        int obtained,
        int uniqueAddresses,
        int renewed,
        int released,
        int naks,
        long ignored,
        List<String> failures,
        List<String> duplicates,
        Duration elapsed,
        LatencySummary latency) {

    /** Keeps its own copies of the lists. */
    public ClientReport {
        failures = List.copyOf(failures);
        duplicates = List.copyOf(duplicates);
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(latency, "latency");
    }

    /** True if every client got a lease, no address went to two clients, and nothing failed. */
    public boolean success() {
        return failures.isEmpty() && duplicates.isEmpty() && obtained == requested && uniqueAddresses == obtained;
    }

    /** Leases obtained per second of the run. */
    public double leasesPerSecond() {
        long micros = elapsed.toNanos() / 1000;
        return micros <= 0 ? 0 : obtained * 1_000_000.0 / micros;
    }

    /** The report as printed: a summary, then every duplicate and failure (the first 20 of each). */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "leases: %d of %d obtained, %d unique addresses, %.0f leases/s over %.3f s",
                obtained, requested, uniqueAddresses, leasesPerSecond(), elapsed.toNanos() / 1e9));
        lines.add("latency (DISCOVER to ACK): " + latency);
        lines.add("renewed " + renewed + ", released " + released + ", NAKs " + naks + ", ignored replies " + ignored
                + ", failed clients " + failures.size() + ", duplicate addresses " + duplicates.size());
        appendFirst(lines, "DUPLICATE", duplicates);
        appendFirst(lines, "FAILED", failures);
        lines.add(success() ? "OK: every client got a lease and every address is unique" : "FAILED: see above");
        return lines;
    }

    private static void appendFirst(List<String> lines, String label, List<String> items) {
        int shown = Math.min(items.size(), 20);
        for (int i = 0; i < shown; i++) {
            lines.add(label + ": " + items.get(i));
        }
        if (items.size() > shown) {
            lines.add(label + ": ... and " + (items.size() - shown) + " more");
        }
    }
}
