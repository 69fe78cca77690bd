package dev.dhcpcluster.core.config;

import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a request says about who its client is, as far as a {@link Reservation} can be
 * keyed on it: the lease key (client identifier or hardware address), the hardware address, and
 * what the relay agent added about where the client is attached. Built once per request.
 *
 * @param clientKey the key the client's lease is stored under (option 61, else htype + chaddr)
 * @param hardwareAddress htype and chaddr
 * @param circuitId sub-option 1 of the relay agent information (option 82) of a relayed request
 * @param remoteId sub-option 2 of the relay agent information of a relayed request
 */
public record ClientIdentity(ClientKey clientKey, HardwareAddress hardwareAddress, Optional<Octets> circuitId,
        Optional<Octets> remoteId) {

    public ClientIdentity {
        Objects.requireNonNull(clientKey, "clientKey");
        Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        Objects.requireNonNull(circuitId, "circuitId");
        Objects.requireNonNull(remoteId, "remoteId");
    }

    /** A client that came without relay agent information. */
    public static ClientIdentity of(ClientKey clientKey, HardwareAddress hardwareAddress) {
        return new ClientIdentity(clientKey, hardwareAddress, Optional.empty(), Optional.empty());
    }
}
