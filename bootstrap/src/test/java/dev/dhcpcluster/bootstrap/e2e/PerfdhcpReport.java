package dev.dhcpcluster.bootstrap.e2e;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The final report perfdhcp prints: the achieved rate and, per exchange (DISCOVER-OFFER,
 * REQUEST-ACK), the packets sent and received, drops and non-unique addresses.
 */
public record PerfdhcpReport(double rate, Map<String, Exchange> exchanges) {

    /** The counters of one exchange type. */
    public record Exchange(long sent, long received, long drops, long nonUniqueAddresses, long rejectedLeases) {

        /** Returns the fraction of sent packets that got no answer, 0 when nothing was sent. */
        public double dropRatio() {
            return sent == 0 ? 0 : (double) drops / sent;
        }
    }

    private static final Pattern RATE = Pattern.compile("(?m)^Rate: ([0-9.]+) ");
    private static final Pattern SECTION = Pattern.compile("(?m)^\\*\\*\\*Statistics for: ([A-Z-]+)\\*\\*\\*$");

    /** Returns the same report with an unmodifiable map. */
    public PerfdhcpReport {
        exchanges = Map.copyOf(exchanges);
    }

    /** Parses perfdhcp's output; fails, quoting it, if the final report is not there. */
    public static PerfdhcpReport parse(String output) {
        Matcher rate = RATE.matcher(output);
        if (!rate.find()) {
            throw new IllegalArgumentException("no rate statistics in perfdhcp output:" + System.lineSeparator() + output);
        }
        Map<String, Exchange> exchanges = new LinkedHashMap<>();
        Matcher section = SECTION.matcher(output);
        int start = -1;
        String name = null;
        while (section.find()) {
            if (name != null) {
                exchanges.put(name, parseExchange(output.substring(start, section.start())));
            }
            name = section.group(1);
            start = section.end();
        }
        if (name == null) {
            throw new IllegalArgumentException("no exchange statistics in perfdhcp output:" + System.lineSeparator() + output);
        }
        exchanges.put(name, parseExchange(output.substring(start)));
        return new PerfdhcpReport(Double.parseDouble(rate.group(1)), exchanges);
    }

    /** Returns the counters of {@code name} ({@code DISCOVER-OFFER} or {@code REQUEST-ACK}). */
    public Exchange exchange(String name) {
        return Optional.ofNullable(exchanges.get(name))
                .orElseThrow(() -> new IllegalArgumentException("perfdhcp reported no " + name + " exchange"));
    }

    private static Exchange parseExchange(String section) {
        return new Exchange(counter(section, "sent packets"), counter(section, "received packets"),
                counter(section, "drops"), counter(section, "non unique addresses"), counter(section, "rejected leases"));
    }

    private static long counter(String section, String label) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(label) + ": (\\d+)$").matcher(section);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no '" + label + "' in perfdhcp statistics:" + System.lineSeparator() + section);
        }
        return Long.parseLong(matcher.group(1));
    }
}
