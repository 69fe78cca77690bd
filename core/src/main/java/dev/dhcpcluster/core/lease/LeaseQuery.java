package dev.dhcpcluster.core.lease;

import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import java.util.Objects;
import java.util.Optional;

/**
 * Which leases an operator asks for ({@link LeaseTable#query}): every filter that is present must
 * match, and the answer is one page of at most {@code limit} leases in address order, starting
 * after the address {@code after}.
 *
 * @param address only the lease of this address
 * @param hardwareAddress only leases written for this hardware address
 * @param clientKey only leases bound to this client identity
 * @param hostname only leases with exactly this host name (compared as stored, case-insensitively,
 *     as DNS names compare)
 * @param first with {@code last}: only addresses in this inclusive range (a subnet, say)
 * @param last the end of the range, inclusive
 * @param after the cursor: only addresses above this one (the last address of the previous page)
 * @param limit the most leases one page holds, at least 1
 */
public record LeaseQuery(
        Optional<Ipv4Address> address,
        Optional<HardwareAddress> hardwareAddress,
        Optional<ClientKey> clientKey,
        Optional<String> hostname,
        Ipv4Address first,
        Ipv4Address last,
        Optional<Ipv4Address> after,
        int limit) {

    public LeaseQuery {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        Objects.requireNonNull(clientKey, "clientKey");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        Objects.requireNonNull(after, "after");
        if (limit < 1) {
            throw new IllegalArgumentException("a page holds at least one lease, not " + limit);
        }
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("the range " + first + " - " + last + " ends before it starts");
        }
    }

    /** Every lease, {@code limit} at a time. */
    public static LeaseQuery all(int limit) {
        return new LeaseQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Ipv4Address.ZERO,
                Ipv4Address.BROADCAST, Optional.empty(), limit);
    }

    /**
     * True if {@code candidate} passes every filter and lies in the range after the cursor: what
     * {@link LeaseTable#query} selects, for a list of leases read from elsewhere (a store's file).
     */
    public boolean selects(Lease candidate) {
        Ipv4Address at = candidate.address();
        return at.compareTo(first) >= 0 && at.compareTo(last) <= 0
                && after.map(cursor -> at.compareTo(cursor) > 0).orElse(true)
                && matches(candidate);
    }

    /** True if {@code candidate} passes every filter other than the address range and the cursor. */
    boolean matches(Lease candidate) {
        return address.map(candidate.address()::equals).orElse(true)
                && hardwareAddress.map(candidate.hardwareAddress()::equals).orElse(true)
                && clientKey.map(candidate.clientKey()::equals).orElse(true)
                && hostname.map(name -> candidate.hostname().map(name::equalsIgnoreCase).orElse(false)).orElse(true);
    }
}
