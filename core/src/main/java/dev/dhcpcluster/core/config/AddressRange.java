package dev.dhcpcluster.core.config;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Objects;

/**
 * An inclusive range of addresses, as in Kea's {@code "pool": "first - last"}.
 *
 * @param first the lowest address of the range
 * @param last the highest address of the range, not below {@code first}
 */
public record AddressRange(Ipv4Address first, Ipv4Address last) {

    public AddressRange {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("range " + first + " - " + last + " ends before it starts");
        }
    }

    /** How many addresses the range holds. */
    public long size() {
        return last.toUnsignedLong() - first.toUnsignedLong() + 1;
    }

    /** True if {@code address} lies in the range. */
    public boolean contains(Ipv4Address address) {
        return address.compareTo(first) >= 0 && address.compareTo(last) <= 0;
    }

    @Override
    public String toString() {
        return first + " - " + last;
    }
}
