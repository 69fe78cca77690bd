package dev.dhcpcluster.testkit.client;

import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Objects;

/**
 * A lease a client holds, as the client knows it: enough to renew it in a later run
 * ({@link ClientSession#holding}).
 *
 * @param hardwareAddress the client's hardware address
 * @param address the leased address
 * @param server the server identifier (option 54) of the server that granted it, where a RENEWING
 *     REQUEST goes
 */
public record HeldLease(HardwareAddress hardwareAddress, Ipv4Address address, Ipv4Address server) {

    public HeldLease {
        Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(server, "server");
        if (address.isZero() || server.isZero()) {
            throw new IllegalArgumentException("a held lease has an address and a server, not 0.0.0.0");
        }
    }
}
