package dev.dhcpcluster.testkit.client;

import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One DHCPACK as a client received it: a promise the server made, which a test can hold the
 * server to later (for example after a crash).
 *
 * <p>Its text form, one line in an ACK log, is five fields separated by single spaces:
 * {@code received address hardware-address lease-seconds expiry}, times in ISO-8601 UTC, as in
 * {@code 2024-05-01T10:00:00.250Z 198.18.1.7 02:00:00:00:00:07 3600 2024-05-01T11:00:00.200Z}.
 *
 * @param received when the ACK arrived, by the client's clock
 * @param address the leased address (yiaddr)
 * @param hardwareAddress the client's hardware address
 * @param leaseTime the lease time granted (option 51)
 * @param expiry when the lease ends as the client reckons it (RFC 2131 §4.4.1): the time its
 *     REQUEST was first sent plus the lease time; never later than the server's own expiry
 */
public record Ack(Instant received, Ipv4Address address, HardwareAddress hardwareAddress, Duration leaseTime,
        Instant expiry) {

    /** Refuses a missing field or a negative lease time. */
    public Ack {
        Objects.requireNonNull(received, "received");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        Objects.requireNonNull(leaseTime, "leaseTime");
        Objects.requireNonNull(expiry, "expiry");
        if (leaseTime.isNegative()) {
            throw new IllegalArgumentException("a lease time is never negative, not " + leaseTime);
        }
    }

    /** The line this ACK is logged as, without the line separator. */
    public String toLine() {
        return received + " " + address + " " + hardwareAddress + " " + leaseTime.toSeconds() + " " + expiry;
    }

    /**
     * Reads a line written by {@link #toLine()}.
     *
     * @throws IllegalArgumentException quoting the line if it is not such a line
     */
    public static Ack parse(String line) {
        String[] fields = line.split(" ", -1);
        if (fields.length != 5) {
            throw new IllegalArgumentException("\"" + line + "\" is not an ACK line (5 fields separated by spaces)");
        }
        try {
            return new Ack(Instant.parse(fields[0]), Ipv4Address.parse(fields[1]),
                    HardwareAddress.parseEthernet(fields[2]), Duration.ofSeconds(Long.parseLong(fields[3])),
                    Instant.parse(fields[4]));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + line + "\" is not an ACK line: " + e.getMessage(), e);
        }
    }
}
