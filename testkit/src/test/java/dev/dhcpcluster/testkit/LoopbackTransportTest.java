package dev.dhcpcluster.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.DhcpServer;
import dev.dhcpcluster.core.testing.ControlledLeaseStore;
import dev.dhcpcluster.core.testing.RecordingEvents;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.LoopbackTransport.Sent;
import dev.dhcpcluster.testkit.client.ClientSession;
import dev.dhcpcluster.testkit.client.Reaction;
import dev.dhcpcluster.testkit.contract.DhcpTransportContract;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The loopback transport keeps the transport contract, and carries a real DHCP exchange in-process. */
class LoopbackTransportTest extends DhcpTransportContract<LoopbackTransportTest.LoopbackWire> {

    private static final Ipv4Address SERVER = TestConfigs.SERVER;
    private static final Ipv4Address RELAY = Ipv4Address.parse("198.18.0.1");
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** The test's side of a loopback transport: injects into it and reads what it sent. */
    static final class LoopbackWire implements DhcpTransportContract.Wire {
        private LoopbackTransport transport;

        @Override
        public void inject(byte[] payload) {
            transport.inject(payload, RELAY, 67, Optional.empty());
        }

        @Override
        public Delivery replyDelivery() {
            return new Delivery.Unicast(RELAY, 67);
        }

        @Override
        public Optional<byte[]> nextSent(Duration timeout) throws InterruptedException {
            return transport.nextSent(timeout).map(Sent::payload);
        }
    }

    @Override
    protected LoopbackWire newWire() {
        return new LoopbackWire();
    }

    @Override
    protected DhcpTransport newTransport(LoopbackWire wire) {
        wire.transport = new LoopbackTransport(SERVER);
        return wire.transport;
    }

    @Test
    @DisplayName("an injected request reaches the handler with the source, port and interface given, at the server's address")
    void injectedRequestCarriesItsOrigin() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        LoopbackTransport transport = (LoopbackTransport) started(handler);

        assertTrue(transport.inject(bytes("DISCOVER"), Ipv4Address.parse("198.18.0.77"), 68, Optional.of("vport-3")));

        Datagram datagram = handler.next();
        assertArrayEquals(bytes("DISCOVER"), datagram.payload());
        assertEquals(Ipv4Address.parse("198.18.0.77"), datagram.source());
        assertEquals(68, datagram.sourcePort());
        assertEquals(SERVER, datagram.localAddress());
        assertEquals(Optional.of("vport-3"), datagram.interfaceName());
    }

    @Test
    @DisplayName("a reply is read with the delivery and interface the server chose, in the order sent")
    void repliesKeepTheirDelivery() throws Exception {
        LoopbackTransport transport = (LoopbackTransport) started(new RecordingHandler());
        byte[] payload = bytes("OFFER");

        transport.send(payload, new Delivery.Broadcast(68), Optional.of("vport-3"));
        transport.send(bytes("ACK"), new Delivery.Unicast(RELAY, 67), Optional.empty());
        payload[0] = 'X';

        Sent first = transport.nextSent(WAIT).orElseThrow();
        assertArrayEquals(bytes("OFFER"), first.payload(), "the transport keeps its own copy");
        assertEquals(new Delivery.Broadcast(68), first.delivery());
        assertEquals(Optional.of("vport-3"), first.interfaceName());
        assertEquals(new Delivery.Unicast(RELAY, 67), transport.nextSent(WAIT).orElseThrow().delivery());
        assertEquals(Optional.empty(), transport.nextSent(Duration.ZERO));
    }

    @Test
    @DisplayName("it has no port, and says what it is")
    void noPort() throws Exception {
        DhcpTransport transport = started(new RecordingHandler());

        assertEquals(OptionalInt.empty(), transport.localPort());
        assertTrue(transport.describe().startsWith("loopback"), transport.describe());
    }

    @Test
    @DisplayName("before start a send is refused and an injected request is lost; after close both are dropped")
    void notRunning() throws Exception {
        LoopbackTransport transport = (LoopbackTransport) create();

        assertThrows(IllegalStateException.class,
                () -> transport.send(bytes("early"), new Delivery.Broadcast(68), Optional.empty()));
        assertFalse(transport.inject(bytes("early"), RELAY, 67, Optional.empty()));

        transport.start(datagram -> { });
        transport.close();
        transport.send(bytes("late"), new Delivery.Broadcast(68), Optional.empty());
        assertFalse(transport.inject(bytes("late"), RELAY, 67, Optional.empty()));
        assertEquals(3, transport.dropped());
        assertEquals(0, transport.pendingSent());
    }

    @Test
    @DisplayName("a client leases an address from a real DHCP server through it, DISCOVER to ACK")
    void fullExchangeWithARealServer() throws Exception {
        try (ThreadScheduler loop = new ThreadScheduler("test-server")) {
            LoopbackTransport transport = (LoopbackTransport) create();
            DhcpServer server = new DhcpServer(TestConfigs.server(TestConfigs.subnet().build()).build(), transport,
                    new ControlledLeaseStore(ControlledLeaseStore.Mode.IMMEDIATE), loop, loop, new RecordingEvents());
            loop.execute(() -> server.load(List.of()));
            // The server's state is single-threaded: every datagram hops onto its scheduler.
            transport.start(datagram -> loop.execute(() -> server.handle(datagram)));
            ClientSession client = new ClientSession(0, HardwareAddress.parseEthernet("02:00:00:00:00:01"), RELAY, 0,
                    Optional.of(Ipv4Prefix.parse("198.18.0.0/24")));

            Reaction reaction = new Reaction.Send(client.discover(0x1234));
            for (int step = 0; step < 4 && reaction instanceof Reaction.Send send; step++) {
                byte[] request = DhcpCodec.encode(send.message(), DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
                transport.inject(request, RELAY, 67, Optional.empty());
                Sent reply = transport.nextSent(WAIT).orElseThrow(() -> new AssertionError("the server did not answer"));
                assertEquals(new Delivery.Unicast(RELAY, 67), reply.delivery(), "a relayed request is answered at giaddr");
                DhcpMessage decoded = DhcpCodec.decode(reply.payload());
                reaction = client.onReply(decoded);
            }

            Reaction.Bound bound = assertInstanceOf(Reaction.Bound.class, reaction, () -> "the client ended with " + client.failure());
            assertTrue(Ipv4Prefix.parse("198.18.0.0/24").contains(bound.address()), bound.address().toString());
            assertEquals(SERVER, client.serverIdentifier());
        }
    }

    @Test
    @DisplayName("LoopbackExchange carries a session from DISCOVER to a bound lease, then renews it")
    void exchangeLeasesAndRenews() throws Exception {
        try (ThreadScheduler loop = new ThreadScheduler("test-server")) {
            LoopbackTransport transport = (LoopbackTransport) create();
            DhcpServer server = new DhcpServer(TestConfigs.server(TestConfigs.subnet().build()).build(), transport,
                    new ControlledLeaseStore(ControlledLeaseStore.Mode.IMMEDIATE), loop, loop, new RecordingEvents());
            loop.execute(() -> server.load(List.of()));
            transport.start(datagram -> loop.execute(() -> server.handle(datagram)));
            ClientSession client = new ClientSession(0, HardwareAddress.parseEthernet("02:00:00:00:00:02"), RELAY, 1,
                    Optional.empty());

            Reaction leased = LoopbackExchange.run(transport, client, client.discover(7), WAIT);
            Reaction.Bound bound = assertInstanceOf(Reaction.Bound.class, leased, () -> "ended with " + leased);
            Reaction renewed = LoopbackExchange.run(transport, client, client.renew(8), WAIT);

            assertEquals(new Reaction.Renewed(bound.address(), bound.leaseTime()), renewed);
        }
    }

    @Test
    @DisplayName("LoopbackExchange retransmits to a silent server as the session's retries say, then fails")
    void exchangeWithASilentServerFails() throws Exception {
        RecordingHandler silent = new RecordingHandler();
        LoopbackTransport transport = (LoopbackTransport) started(silent);
        ClientSession client = new ClientSession(0, HardwareAddress.parseEthernet("02:00:00:00:00:03"), RELAY, 2,
                Optional.empty());

        Reaction reaction = LoopbackExchange.run(transport, client, client.discover(9), Duration.ofMillis(50));

        assertInstanceOf(Reaction.Failed.class, reaction);
        for (int sent = 0; sent < 3; sent++) {
            Datagram request = silent.next();
            assertEquals(RELAY, request.source(), "a relayed request comes from giaddr");
            assertEquals(67, request.sourcePort());
        }
        assertTrue(silent.nothingWithin(Duration.ZERO), "more than the first DISCOVER and two retransmissions");
    }

    @Test
    @DisplayName("LoopbackExchange refuses to run over a transport that is not started")
    void exchangeNeedsARunningTransport() throws Exception {
        LoopbackTransport transport = (LoopbackTransport) create();
        ClientSession client = new ClientSession(0, HardwareAddress.parseEthernet("02:00:00:00:00:04"), RELAY, 0,
                Optional.empty());

        assertThrows(IllegalStateException.class, () -> LoopbackExchange.run(transport, client, client.discover(1), WAIT));
    }
}
