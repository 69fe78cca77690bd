package dev.dhcpcluster.port.model;

import java.util.Objects;

/**
 * How a reply must reach its client (RFC 2131 §4.1). The server policy decides; the transport
 * honours it as far as its technology allows.
 */
public sealed interface Delivery {

    /** The UDP port the reply goes to. */
    int port();

    /** To the limited broadcast address {@code 255.255.255.255} on the receiving link. */
    record Broadcast(int port) implements Delivery {
        public Broadcast {
            checkPort(port);
        }
    }

    /** To an IP address the network can route: a relay's giaddr, or a client's ciaddr. */
    record Unicast(Ipv4Address address, int port) implements Delivery {
        public Unicast {
            Objects.requireNonNull(address, "address");
            checkPort(port);
        }
    }

    /**
     * To {@code address} at the link-layer address {@code hardwareAddress}, for a client that has
     * no address yet and did not ask for broadcast. Only a raw transport can build such a frame
     * without an ARP entry; a transport that cannot must broadcast instead.
     */
    record UnicastToHardware(Ipv4Address address, HardwareAddress hardwareAddress, int port) implements Delivery {
        public UnicastToHardware {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(hardwareAddress, "hardwareAddress");
            checkPort(port);
        }
    }

    private static void checkPort(int port) {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("a UDP port is 1-65535, not " + port);
        }
    }
}
