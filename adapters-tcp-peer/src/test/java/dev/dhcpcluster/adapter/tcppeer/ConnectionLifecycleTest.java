package dev.dhcpcluster.adapter.tcppeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AbstractPeerTransportTest.RecordingPeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** How TCP connections between nodes come and go: one per pair, round trips, redials, the bound address. */
class ConnectionLifecycleTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);

    @RepeatedTest(5)
    @DisplayName("two nodes that dial each other at once end with exactly one TCP connection, and each sees one connected")
    void simultaneousDialsEndWithOneConnection() throws Exception {
        LoopbackCluster cluster = LoopbackCluster.of(Set.of(ONE, TWO));
        RecordingPeerHandler atOne = new RecordingPeerHandler();
        RecordingPeerHandler atTwo = new RecordingPeerHandler();
        try (TcpPeerTransport one = cluster.transport(ONE); TcpPeerTransport two = cluster.transport(TWO)) {
            CountDownLatch go = new CountDownLatch(1);
            Thread startOne = starter(go, one, atOne);
            Thread startTwo = starter(go, two, atTwo);
            go.countDown();
            startOne.join();
            startTwo.join();

            atOne.awaitConnected(TWO);
            atTwo.awaitConnected(ONE);
            int[] ports = {cluster.address(ONE).getPort(), cluster.address(TWO).getPort()};
            // Both ends of one connection: two established sockets that use a listening port.
            awaitTrue(() -> establishedSockets(ports) == 2, () -> "one connection left, not " + establishedSockets(ports) / 2.0);
            one.send(TWO, new PeerMessage.Election(ONE, 1));
            two.send(ONE, new PeerMessage.Answer(TWO, 1));
            atOne.awaitMessages(1);
            atTwo.awaitMessages(1);

            assertEquals(List.of(RecordingPeerHandler.connectedCall(TWO), RecordingPeerHandler.receivedCall(new PeerMessage.Answer(TWO, 1))),
                    atOne.calls());
            assertEquals(List.of(RecordingPeerHandler.connectedCall(ONE), RecordingPeerHandler.receivedCall(new PeerMessage.Election(ONE, 1))),
                    atTwo.calls());
            assertEquals(List.of(TWO), cluster.events(ONE).connected());
            assertEquals(List.of(ONE), cluster.events(TWO).connected());
            assertEquals(2, establishedSockets(ports));
        }
    }

    @Test
    @DisplayName("the heartbeat measures the round trip to a connected peer")
    void roundTripIsMeasured() throws Exception {
        LoopbackCluster cluster = LoopbackCluster.of(Set.of(ONE, TWO),
                settings -> settings.withHeartbeatInterval(Duration.ofMillis(50)));
        try (TcpPeerTransport one = cluster.transport(ONE); TcpPeerTransport two = cluster.transport(TWO)) {
            one.start(new RecordingPeerHandler());
            two.start(new RecordingPeerHandler());

            awaitTrue(() -> one.roundTrip(TWO).isPresent() && two.roundTrip(ONE).isPresent(), () -> "round trips measured");

            Duration rtt = one.roundTrip(TWO).orElseThrow();
            assertTrue(rtt.toNanos() > 0 && rtt.compareTo(Duration.ofSeconds(1)) < 0, rtt.toString());
            assertEquals(Optional.empty(), one.roundTrip(new NodeId(7)), "no round trip to a node that is not a peer");
        }
    }

    @Test
    @DisplayName("a peer that is not there is redialed after 100, 200, 400, 800 ms (with jitter), and connects once it is")
    void unreachablePeerIsRedialedWithBackoff() throws Exception {
        LoopbackCluster cluster = LoopbackCluster.of(Set.of(ONE, TWO));
        RecordingPeerHandler atOne = new RecordingPeerHandler();
        try (TcpPeerTransport one = cluster.transport(ONE)) {
            // At node 2's address, a socket that hangs up on every dial: each one fails at once.
            List<Long> dials = new ArrayList<>();
            try (ServerSocket hangUp = new ServerSocket()) {
                hangUp.setReuseAddress(true);
                hangUp.bind(cluster.address(TWO));
                one.start(atOne);
                while (dials.size() < 5) {
                    hangUp.accept().close();
                    dials.add(System.nanoTime());
                }
            }
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < dials.size(); i++) {
                gaps.add(Duration.ofNanos(dials.get(i) - dials.get(i - 1)).toMillis());
            }
            // The first gap also holds the first handshake's warm-up (class loading); the later ones are the backoff alone.
            assertTrue(gaps.get(0) >= 80, "redials " + gaps);
            assertTrue(gaps.get(1) >= 160 && gaps.get(1) < 500, "second redial after 200 ms +-20 %: " + gaps);
            assertTrue(gaps.get(2) >= 320 && gaps.get(2) < 800, "third redial after 400 ms +-20 %: " + gaps);
            assertTrue(gaps.get(3) >= 640 && gaps.get(3) < 1_400, "fourth redial after 800 ms +-20 %: " + gaps);

            // Node 2 comes up, but dials nobody (its peer list points elsewhere): node 1's redial connects them.
            TcpPeerTransport.Settings settings = cluster.settings(TWO);
            try (TcpPeerTransport two = new TcpPeerTransport(new TcpPeerTransport.Settings(TWO, settings.clusterName(),
                    settings.listen(), Map.of(ONE, LoopbackCluster.freeLoopbackAddress()), LoopbackCluster.SECRET,
                    settings.tls(), settings.maxFrameBytes(), settings.handshakeTimeout(), settings.heartbeatInterval(),
                    settings.maxHandshakes()), cluster.events(TWO))) {
                long start = System.nanoTime();
                two.start(new RecordingPeerHandler());

                atOne.awaitConnected(TWO);

                long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertTrue(millis < 1_600 * 1.2 + 500, "connected " + millis + " ms after node 2 started");
            }
        }
    }

    @Test
    @DisplayName("localAddress gives the port the system chose, and only once started; a taken port fails the start")
    void localAddressAndBindFailure() throws Exception {
        LoopbackCluster cluster = LoopbackCluster.of(Set.of(ONE, TWO));
        TcpPeerTransport.Settings settings = cluster.settings(ONE);
        try (TcpPeerTransport one = new TcpPeerTransport(new TcpPeerTransport.Settings(ONE, settings.clusterName(),
                new InetSocketAddress("127.0.0.1", 0), settings.peers(), LoopbackCluster.SECRET, settings.tls(),
                settings.maxFrameBytes(), settings.handshakeTimeout(), settings.heartbeatInterval(), settings.maxHandshakes()),
                cluster.events(ONE))) {
            assertThrows(IllegalStateException.class, one::localAddress);
            one.start(new RecordingPeerHandler());
            assertTrue(one.localAddress().getPort() > 0);

            try (TcpPeerTransport clash = new TcpPeerTransport(new TcpPeerTransport.Settings(ONE, settings.clusterName(),
                    one.localAddress(), settings.peers(), LoopbackCluster.SECRET, settings.tls(), settings.maxFrameBytes(),
                    settings.handshakeTimeout(), settings.heartbeatInterval(), settings.maxHandshakes()), cluster.events(ONE))) {
                IOException e = assertThrows(IOException.class, () -> clash.start(new RecordingPeerHandler()));
                assertTrue(e.getMessage().contains(LoopbackCluster.describe(one.localAddress())), e.getMessage());
            }
        }
    }

    @Test
    @DisplayName("a message claiming another sender is refused at send: the peer would close the connection for it")
    void sendingAnotherNodesMessageIsABug() throws Exception {
        try (TcpPeerTransport one = LoopbackCluster.of(Set.of(ONE, TWO)).transport(ONE)) {
            assertThrows(IllegalArgumentException.class, () -> one.send(TWO, new PeerMessage.Election(TWO, 1)));
            assertThrows(IllegalArgumentException.class, () -> one.sendToAll(new PeerMessage.Election(TWO, 1)));
        }
    }

    private static Thread starter(CountDownLatch go, TcpPeerTransport transport, RecordingPeerHandler handler) {
        Thread thread = new Thread(() -> {
            try {
                go.await();
                transport.start(handler);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        thread.start();
        return thread;
    }

    /** Established TCP sockets of this host with one end on one of {@code ports}, from the kernel's tables. */
    private static long establishedSockets(int[] ports) {
        long count = 0;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (!fields[3].equals("01")) {
                    continue;
                }
                int local = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16);
                int remote = Integer.parseInt(fields[2].substring(fields[2].indexOf(':') + 1), 16);
                for (int port : ports) {
                    if (local == port || remote == port) {
                        count++;
                        break;
                    }
                }
            }
        }
        return count;
    }

    private static void awaitTrue(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within 10 s: " + what.get());
            }
            Thread.sleep(5);
        }
    }
}
