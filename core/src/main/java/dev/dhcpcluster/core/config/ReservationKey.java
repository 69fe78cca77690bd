package dev.dhcpcluster.core.config;

import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import java.util.Objects;

/**
 * What identifies the client a {@link Reservation} is for, as Kea's host identifiers:
 * {@code hw-address}, {@code client-id}, {@code circuit-id} and {@code remote-id} (the last two
 * are sub-options 1 and 2 of the relay agent information, option 82, RFC 3046: the switch port or
 * the subscriber line a request came through).
 */
public sealed interface ReservationKey {

    /** The client's hardware address (htype and chaddr). */
    record ByHardwareAddress(HardwareAddress hardwareAddress) implements ReservationKey {
        public ByHardwareAddress {
            Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        }

        @Override
        public String toString() {
            return "hw-address " + hardwareAddress;
        }
    }

    /** The client identifier, option 61. */
    record ByClientId(ClientKey clientId) implements ReservationKey {
        public ByClientId {
            Objects.requireNonNull(clientId, "clientId");
            if (clientId.kind() != ClientKey.Kind.CLIENT_ID) {
                throw new IllegalArgumentException("client-id reservations take a client identifier key");
            }
        }

        @Override
        public String toString() {
            return "client-id " + clientId;
        }
    }

    /** The circuit-id the relay agent added (option 82, sub-option 1). */
    record ByCircuitId(Octets circuitId) implements ReservationKey {
        public ByCircuitId {
            Objects.requireNonNull(circuitId, "circuitId");
        }

        @Override
        public String toString() {
            return "circuit-id " + circuitId;
        }
    }

    /** The remote-id the relay agent added (option 82, sub-option 2). */
    record ByRemoteId(Octets remoteId) implements ReservationKey {
        public ByRemoteId {
            Objects.requireNonNull(remoteId, "remoteId");
        }

        @Override
        public String toString() {
            return "remote-id " + remoteId;
        }
    }
}
