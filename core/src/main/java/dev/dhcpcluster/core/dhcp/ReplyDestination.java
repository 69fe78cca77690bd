package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.DhcpMessageType;

/**
 * Where a reply goes, by the rules of RFC 2131 §4.1 (and §4.3.5 for INFORM), as one pure function.
 */
public final class ReplyDestination {

    private ReplyDestination() {
    }

    /**
     * The delivery of {@code reply} to the client that sent {@code request}, in this order:
     * <ol>
     *   <li>a relayed request (giaddr set): to the relay at giaddr, on the relay port;</li>
     *   <li>a NAK: broadcast, because the client's idea of its address is wrong;</li>
     *   <li>a client with an address (ciaddr set: RENEWING, REBINDING, INFORM): unicast to ciaddr;</li>
     *   <li>a client that asked for broadcast, or a reply without yiaddr: broadcast;</li>
     *   <li>otherwise: unicast to yiaddr at the client's hardware address.</li>
     * </ol>
     */
    public static Delivery of(DhcpMessage request, DhcpMessage reply, ServerConfig config) {
        if (!request.giaddr().isZero()) {
            return new Delivery.Unicast(request.giaddr(), config.relayPort());
        }
        boolean nak = reply.messageType().filter(type -> type == DhcpMessageType.NAK).isPresent();
        if (nak) {
            return new Delivery.Broadcast(config.clientPort());
        }
        if (!request.ciaddr().isZero()) {
            return new Delivery.Unicast(request.ciaddr(), config.clientPort());
        }
        if (request.broadcastFlag() || reply.yiaddr().isZero()) {
            return new Delivery.Broadcast(config.clientPort());
        }
        return new Delivery.UnicastToHardware(reply.yiaddr(), request.hardwareAddress(), config.clientPort());
    }
}
