package dev.dhcpcluster.core.relay;

import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.port.model.HardwareAddress;
import java.util.Map;
import java.util.Objects;

/**
 * Clients pinned to one server, whatever the cluster's bucket assignment says: by hardware
 * address ({@code chaddr}, its {@code hlen} octets and {@code htype}), or by the circuit-id of the
 * option 82 a request carries (the relay's own, which names the receiving interface, or a trusted
 * element's). An operator pins a client to keep a device on the node that holds its reservation or
 * to steer a link to a node while another is drained, as production relays allow. A MAC pin beats
 * a circuit-id pin, because it names the one client rather than a whole link. Immutable.
 *
 * @param byMac the server of each pinned hardware address
 * @param byCircuitId the server of each pinned circuit-id
 */
public record RelayOverrides(Map<HardwareAddress, RelayServer> byMac, Map<Octets, RelayServer> byCircuitId) {

    private static final RelayOverrides NONE = new RelayOverrides(Map.of(), Map.of());

    public RelayOverrides {
        byMac = Map.copyOf(Objects.requireNonNull(byMac, "byMac"));
        byCircuitId = Map.copyOf(Objects.requireNonNull(byCircuitId, "byCircuitId"));
    }

    /** No client pinned. */
    public static RelayOverrides none() {
        return NONE;
    }

    /** True if no client is pinned. */
    public boolean isEmpty() {
        return byMac.isEmpty() && byCircuitId.isEmpty();
    }
}
