package dev.dhcpcluster.core.lease;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of the answer to a {@link LeaseQuery}.
 *
 * @param leases the matching leases, in address order
 * @param next the cursor for the next page (the last address of this one) if more leases match;
 *     empty if this page is the last
 */
public record LeasePage(List<Lease> leases, Optional<Ipv4Address> next) {

    public LeasePage {
        leases = List.copyOf(leases);
        Objects.requireNonNull(next, "next");
    }
}
