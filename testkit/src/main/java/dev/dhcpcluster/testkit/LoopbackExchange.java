package dev.dhcpcluster.testkit;

import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.MalformedPacketException;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.LoopbackTransport.Sent;
import dev.dhcpcluster.testkit.client.ClientSession;
import dev.dhcpcluster.testkit.client.Reaction;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs one {@link ClientSession} against a server behind a {@link LoopbackTransport}, in-process:
 * each request the session wants sent is injected into the transport, and each reply the server
 * sends is handed back to the session, until the session is bound, renewed or has failed. A reply
 * that does not come within the timeout counts as lost, and the session retransmits or gives up
 * as its retries say, as it would on a real network.
 *
 * <p>A request with a relay address (giaddr) arrives from that address at port 67, as a relay
 * forwards it; one without arrives from {@code 0.0.0.0} at port 68, as a client without an address
 * sends it. The test's thread runs the exchange; the server answers on its own.
 */
public final class LoopbackExchange {

    /** The BOOTP server port, where a relay sends from. */
    private static final int RELAY_PORT = 67;
    /** The BOOTP client port, where a client sends from. */
    private static final int CLIENT_PORT = 68;

    private LoopbackExchange() {
    }

    /**
     * Sends {@code first} (a DISCOVER, or a REQUEST to renew, that {@code session} made) and
     * carries the exchange on until the session has an outcome.
     *
     * @param replyTimeout how long to wait for each reply before the session's timeout applies
     * @return the session's last reaction: {@link Reaction.Bound}, {@link Reaction.Renewed} or
     *     {@link Reaction.Failed}
     * @throws IllegalStateException if the transport is not running, so nothing can reach the server
     */
    public static Reaction run(LoopbackTransport transport, ClientSession session, DhcpMessage first,
            Duration replyTimeout) throws InterruptedException {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(replyTimeout, "replyTimeout");
        Reaction reaction = new Reaction.Send(Objects.requireNonNull(first, "first"));
        while (true) {
            if (reaction instanceof Reaction.Send send) {
                inject(transport, send.message());
            } else if (!(reaction instanceof Reaction.Ignored)) {
                return reaction;
            }
            Optional<Sent> reply = transport.nextSent(replyTimeout);
            if (reply.isEmpty()) {
                reaction = session.onTimeout();
                if (reaction instanceof Reaction.Ignored ignored) {
                    return new Reaction.Failed("the session had no request outstanding: " + ignored.why(), false);
                }
                continue;
            }
            DhcpMessage message;
            try {
                message = DhcpCodec.decode(reply.get().payload());
            } catch (MalformedPacketException e) {
                return new Reaction.Failed("the server sent a reply that does not decode: " + e.getMessage(), false);
            }
            reaction = session.onReply(message);
        }
    }

    private static void inject(LoopbackTransport transport, DhcpMessage request) {
        byte[] payload = DhcpCodec.encode(request, DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
        boolean relayed = !request.giaddr().isZero();
        Ipv4Address source = relayed ? request.giaddr() : Ipv4Address.ZERO;
        if (!transport.inject(payload, source, relayed ? RELAY_PORT : CLIENT_PORT, Optional.empty())) {
            throw new IllegalStateException("the loopback transport is not running: " + transport.describe());
        }
    }
}
