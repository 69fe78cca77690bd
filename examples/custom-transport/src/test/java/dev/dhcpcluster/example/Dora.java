package dev.dhcpcluster.example;

import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.client.ClientSession;
import dev.dhcpcluster.testkit.client.Reaction;
import java.time.Duration;
import java.util.Optional;

/**
 * One client's DISCOVER, OFFER, REQUEST, ACK through the controller, as a relay at
 * {@link #RELAY} forwards them: the testkit's client judges every reply.
 */
final class Dora {

    /** The relay address the client's requests carry (giaddr), inside the example's subnet. */
    static final Ipv4Address RELAY = Ipv4Address.parse("198.18.0.1");
    /** The subnet of the example's node files. */
    static final String SUBNET = "198.18.0.0/24";

    private Dora() {
    }

    /** The client's last reaction: {@link Reaction.Bound} once it holds a lease. */
    static Reaction run(SocketController controller, String mac, Duration timeout) throws Exception {
        ClientSession client = new ClientSession(0, HardwareAddress.parseEthernet(mac), RELAY, 2,
                Optional.of(Ipv4Prefix.parse(SUBNET)));
        Reaction reaction = new Reaction.Send(client.discover(0x5eed));
        while (reaction instanceof Reaction.Send send) {
            controller.inject(DhcpCodec.encode(send.message(), DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH));
            Optional<byte[]> reply = controller.nextSent(timeout);
            reaction = reply.isPresent() ? client.onReply(DhcpCodec.decode(reply.get())) : client.onTimeout();
        }
        return reaction;
    }

    /** A node file of node {@code id} that names the example's transport and store. */
    static String nodeFile(int id, java.nio.file.Path dataDirectory, java.nio.file.Path socket, String map) {
        return """
                {"node": {"id": %d, "data-directory": "%s"},
                 "transport": {"type": "unix-socket", "path": "%s"},
                 "lease-store": {"type": "map", "name": "%s"},
                 "admin": {"enabled": false},
                 "Dhcp4": {"subnet4": [{"subnet": "%s", "pools": [{"pool": "198.18.0.100 - 198.18.0.199"}]}]}}
                """.formatted(id, dataDirectory, socket, map, SUBNET);
    }
}
