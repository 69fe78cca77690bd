package dev.dhcpcluster.core.config;

import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Objects;
import java.util.Optional;

/**
 * A fixed address for one client, as Kea's {@code reservations}: matched by hardware address
 * ({@code hw-address}) or by client identifier ({@code client-id}), exactly one of the two.
 *
 * @param hardwareAddress the client's hardware address, if the reservation is keyed on it
 * @param clientId the client's option 61, if the reservation is keyed on it
 * @param address the reserved address
 * @param hostname the host name to give the client (option 12), if any
 */
public record Reservation(
        Optional<HardwareAddress> hardwareAddress,
        Optional<ClientKey> clientId,
        Ipv4Address address,
        Optional<String> hostname) {

    public Reservation {
        Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(hostname, "hostname");
        if (hardwareAddress.isPresent() == clientId.isPresent()) {
            throw new IllegalArgumentException("a reservation names exactly one of hw-address and client-id");
        }
        if (clientId.isPresent() && clientId.get().kind() != ClientKey.Kind.CLIENT_ID) {
            throw new IllegalArgumentException("client-id reservations take a client identifier key");
        }
    }

    /** True if this reservation belongs to a client with these identities. */
    public boolean matches(ClientKey key, HardwareAddress clientHardwareAddress) {
        return hardwareAddress.map(clientHardwareAddress::equals).orElse(false)
                || clientId.map(key::equals).orElse(false);
    }
}
