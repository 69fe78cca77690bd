package dev.dhcpcluster.core.relay;

import dev.dhcpcluster.port.model.Delivery;
import java.util.List;
import java.util.Objects;

/**
 * What the relay agent does with one datagram: forward a request to the servers, deliver a reply
 * to a client, or drop it for a reason.
 *
 * <p>The packet of a decision is a new array that belongs to the caller, who sends it as it is.
 * Records compare arrays by identity; tests compare the octets.
 */
public sealed interface RelayDecision {

    /**
     * Send {@code packet} to each of {@code servers}.
     *
     * @param packet the request as the relay forwards it: giaddr set, hops incremented, option 82
     *     as {@code agentInformation} says
     * @param servers every configured server, on the server port (choosing among the cluster's
     *     nodes is a later concern)
     * @param agentInformation what became of option 82
     */
    record ToServers(byte[] packet, List<Delivery.Unicast> servers, AgentInformation agentInformation)
            implements RelayDecision {
        public ToServers {
            Objects.requireNonNull(packet, "packet");
            servers = List.copyOf(servers);
            Objects.requireNonNull(agentInformation, "agentInformation");
        }
    }

    /**
     * Send {@code packet} out of {@code via} as {@code delivery} says.
     *
     * @param packet the reply without the option 82 this relay added
     * @param via the client-facing interface whose address is the reply's giaddr
     * @param delivery broadcast, unicast to ciaddr, or unicast to yiaddr at chaddr, on the client port
     */
    record ToClient(byte[] packet, RelayInterface via, Delivery delivery) implements RelayDecision {
        public ToClient {
            Objects.requireNonNull(packet, "packet");
            Objects.requireNonNull(via, "via");
            Objects.requireNonNull(delivery, "delivery");
        }
    }

    /** Send nothing, and count {@code reason}. */
    record Drop(RelayDropReason reason) implements RelayDecision {
        public Drop {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
