package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The hand-over of a peer transport's calls to the event loop: order, and one task per burst. */
class LoopPeerHandlerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final NodeId TWO = new NodeId(2);

    private final EventLoop loop = new EventLoop("test-loop");
    /** Touched only on the loop. */
    private final List<String> heard = new ArrayList<>();
    private final LoopPeerHandler handler = new LoopPeerHandler(loop, new PeerHandler() {
        @Override
        public void received(PeerMessage message) {
            assertTrue(loop.inLoop());
            heard.add("message " + message.epoch());
        }

        @Override
        public void connected(NodeId peer) {
            heard.add("connected " + peer);
        }

        @Override
        public void disconnected(NodeId peer) {
            heard.add("disconnected " + peer);
        }
    });

    @BeforeEach
    void start() {
        loop.startAsync().awaitRunning();
    }

    @AfterEach
    void stop() {
        loop.stopAsync().awaitTerminated();
    }

    @Test
    @DisplayName("a burst of peer calls reaches the handler in order, on the loop, in a few tasks rather than one each")
    void aBurstIsHandedOverInOrderInFewTasks() throws Exception {
        loop.call(() -> {
            handler.open();
            return null;
        }, TIMEOUT);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            busy.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(busy.await(10, TimeUnit.SECONDS));
        long tasksBefore = loop.completedTasks();
        List<String> expected = new ArrayList<>();
        handler.connected(TWO);
        expected.add("connected " + TWO);
        for (int i = 1; i <= 1000; i++) {
            handler.received(new PeerMessage.Election(TWO, i));
            expected.add("message " + i);
        }
        handler.disconnected(TWO);
        expected.add("disconnected " + TWO);
        release.countDown();

        // A drain that took its turn posts itself again behind what waits (a look included): look until all arrived.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> seen = loop.call(() -> List.copyOf(heard), TIMEOUT);
        int looks = 1;
        while (seen.size() < expected.size() && System.nanoTime() < deadline) {
            seen = loop.call(() -> List.copyOf(heard), TIMEOUT);
            looks++;
        }
        assertEquals(expected, seen);
        long tasks = loop.completedTasks() - tasksBefore;
        assertTrue(tasks <= 1 + (1002 + LoopPeerHandler.TURN - 1) / LoopPeerHandler.TURN + looks,
                "the blocking task, a drain per " + LoopPeerHandler.TURN + " calls and " + looks + " looks: " + tasks
                        + " tasks");
    }

    @Test
    @DisplayName("calls before the handler opens are kept and handed over first, in order, when it opens")
    void callsBeforeOpenWait() throws Exception {
        handler.received(new PeerMessage.Election(TWO, 1));
        handler.connected(TWO);
        assertEquals(List.of(), loop.call(() -> List.copyOf(heard), TIMEOUT));
        loop.call(() -> {
            handler.open();
            return null;
        }, TIMEOUT);
        handler.received(new PeerMessage.Election(TWO, 2));
        assertEquals(List.of("message 1", "connected " + TWO, "message 2"), loop.call(() -> List.copyOf(heard), TIMEOUT));
    }
}
