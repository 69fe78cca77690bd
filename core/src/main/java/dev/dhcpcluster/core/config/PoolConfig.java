package dev.dhcpcluster.core.config;

import dev.dhcpcluster.core.dhcp.DhcpOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * One pool of a subnet, as an entry of Kea's {@code pools}: a range of dynamic addresses, the
 * client class allowed to use it (everyone when empty), and options for clients given an address
 * from it.
 *
 * @param range the addresses
 * @param clientClass the name of the {@link ClientClass} whose members alone may take addresses
 *     from this pool, as Kea's pool {@code client-class}
 * @param options options for a client whose address lies in this pool; they rank above the
 *     subnet's and below the reservation's
 */
public record PoolConfig(AddressRange range, Optional<String> clientClass, DhcpOptions options) {

    public PoolConfig {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(clientClass, "clientClass");
        Objects.requireNonNull(options, "options");
    }

    /** An open pool without options of its own. */
    public static PoolConfig of(AddressRange range) {
        return new PoolConfig(range, Optional.empty(), DhcpOptions.empty());
    }

    @Override
    public String toString() {
        return range.toString();
    }
}
