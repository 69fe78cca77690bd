package dev.dhcpcluster.bootstrap.e2e;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One lease in a node's store, as {@code dhcpcluster leases} prints it (the columns the tests look
 * at: address, state, expiry and client).
 *
 * @param address the leased address
 * @param state   the lease's state ({@code BOUND}, {@code RELEASED}, ...)
 * @param expiry  when the lease ends
 * @param client  the client's key
 */
public record StoredLease(String address, String state, Instant expiry, String client) {

    /** A lease line: {@code address state expiry hardware-address client ...}, one space apart. */
    private static final Pattern LINE = Pattern.compile(
            "(?m)^(\\d{1,3}(?:\\.\\d{1,3}){3}) ([A-Z]+) (\\S+) (\\S+) (\\S+) .*$");

    /** Requires every field. */
    public StoredLease {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(expiry, "expiry");
        Objects.requireNonNull(client, "client");
    }

    /**
     * Parses the output of {@code dhcpcluster leases}; other lines (the header, log lines on the
     * same stream) are left out.
     */
    static List<StoredLease> parse(String output) {
        Matcher matcher = LINE.matcher(output);
        List<StoredLease> leases = new ArrayList<>();
        while (matcher.find()) {
            leases.add(new StoredLease(matcher.group(1), matcher.group(2), Instant.parse(matcher.group(3)),
                    matcher.group(5)));
        }
        return List.copyOf(leases);
    }
}
