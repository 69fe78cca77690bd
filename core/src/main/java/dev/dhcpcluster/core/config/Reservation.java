package dev.dhcpcluster.core.config;

import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Objects;
import java.util.Optional;

/**
 * A fixed address for one client, as Kea's {@code reservations}.
 *
 * @param key what identifies the client
 * @param address the reserved address
 * @param hostname the host name to give the client (option 12), if any
 * @param options options for this client; they rank above every other level
 */
public record Reservation(ReservationKey key, Ipv4Address address, Optional<String> hostname, DhcpOptions options) {

    public Reservation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(options, "options");
    }

    /**
     * True if this reservation belongs to the client of a request with this identity: its key
     * names the client's hardware address, client identifier, circuit-id or remote-id. A
     * reservation keyed on what a relay agent added matches only requests that came through one.
     */
    public boolean matches(ClientIdentity client) {
        if (key instanceof ReservationKey.ByHardwareAddress byHardware) {
            return byHardware.hardwareAddress().equals(client.hardwareAddress());
        }
        if (key instanceof ReservationKey.ByClientId byClientId) {
            return byClientId.clientId().equals(client.clientKey());
        }
        if (key instanceof ReservationKey.ByCircuitId byCircuitId) {
            return client.circuitId().map(byCircuitId.circuitId()::equals).orElse(false);
        }
        ReservationKey.ByRemoteId byRemoteId = (ReservationKey.ByRemoteId) key;
        return client.remoteId().map(byRemoteId.remoteId()::equals).orElse(false);
    }

    /** A reservation by hardware address, without options. */
    public static Reservation forHardwareAddress(HardwareAddress hardwareAddress, Ipv4Address address,
            Optional<String> hostname) {
        return new Reservation(new ReservationKey.ByHardwareAddress(hardwareAddress), address, hostname,
                DhcpOptions.empty());
    }

    /** A reservation by client identifier (option 61), without options. */
    public static Reservation forClientId(ClientKey clientId, Ipv4Address address, Optional<String> hostname) {
        return new Reservation(new ReservationKey.ByClientId(clientId), address, hostname, DhcpOptions.empty());
    }
}
