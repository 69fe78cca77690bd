package dev.dhcpcluster.core.relay;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A client-facing interface of the relay agent: the link its clients are on.
 *
 * @param name the interface's name ({@code eth1}); the relay sends it as the circuit-id of the
 *     option 82 it adds, so the server can tell the links apart
 * @param address the interface's IPv4 address: the giaddr of the requests relayed from this link,
 *     and the address the servers answer to
 * @param trusted whether a request received here with giaddr zero may already carry option 82
 *     (RFC 3046 §2.1): true only for a link where a trusted element, such as a switch that adds
 *     option 82 itself, stands between the clients and the relay. On an untrusted link such a
 *     request is a client forging its own location and is dropped.
 */
public record RelayInterface(String name, Ipv4Address address, boolean trusted) {

    public RelayInterface {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an interface name is not empty");
        }
        if (circuitId(name).length > RelaySettings.MAX_SUB_OPTION_LENGTH) {
            throw new IllegalArgumentException("interface name \"" + name + "\" is longer than the "
                    + RelaySettings.MAX_SUB_OPTION_LENGTH + " octets a circuit-id holds");
        }
        if (address.isZero() || address.equals(Ipv4Address.BROADCAST)) {
            throw new IllegalArgumentException("interface " + name + " needs a unicast address to use as giaddr, not "
                    + address);
        }
    }

    /** The circuit-id octets this interface stands for: its name in UTF-8. */
    byte[] circuitId() {
        return circuitId(name);
    }

    private static byte[] circuitId(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
