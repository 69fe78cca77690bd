package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.dhcp.DatagramClass;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The event loop's two lanes, on a real loop: a thread floods the DHCP lane as fast as it can while
 * another submits peer-message-like tasks and timers. How long each waits is counted in datagrams
 * that ran ahead of it, not in milliseconds: the count is what the lanes promise (one turn of the
 * DHCP lane at most), and it does not depend on how busy the machine is. The waits in time are
 * printed for the reader, not asserted.
 */
class EventLoopLanesTest {

    /** How long one datagram keeps the thread: about what a DISCOVER through the server policy takes. */
    private static final long DATAGRAM_NANOS = 20_000;
    private static final int LANE = 1024;
    private static final int PROBES = 400;
    /**
     * The most datagrams that may run between a probe's arrival and its turn: the turn of the DHCP
     * lane running when it arrived and the one queued ahead of it, one batch each, plus the datagram
     * whose count had not been taken yet when the probe read it. Without the lanes a probe would
     * wait behind the whole flood, about {@value #LANE} datagrams.
     */
    private static final int MOST_AHEAD = 2 * EventLoop.DATAGRAM_BATCH + 1;

    @Test
    @DisplayName("while a flood saturates the DHCP lane, peer tasks and timers wait at most a bounded time, and the excess datagrams are shed and counted")
    void priorityLaneStaysBoundedUnderADatagramFlood() throws Exception {
        EventLoop loop = new EventLoop("lanes-test", LANE);
        loop.startAsync().awaitRunning();
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong offered = new AtomicLong();
        AtomicLong handled = new AtomicLong();
        AtomicLong datagramWaitMax = new AtomicLong();
        CountDownLatch saturated = new CountDownLatch(1);
        Thread flood = new Thread(() -> {
            while (flooding.get()) {
                long queued = System.nanoTime();
                offered.incrementAndGet();
                boolean taken = loop.offerDatagram(() -> {
                    datagramWaitMax.accumulateAndGet(System.nanoTime() - queued, Math::max);
                    spin(DATAGRAM_NANOS);
                    handled.incrementAndGet();
                });
                if (!taken) {
                    saturated.countDown();
                }
            }
        }, "flood");
        List<Long> executeWaits = new ArrayList<>();
        List<Long> timerLateness = new ArrayList<>();
        List<Long> executeAhead = new ArrayList<>();
        List<Long> timerAhead = new ArrayList<>();
        long started = System.nanoTime();
        try {
            flood.start();
            assertTrue(saturated.await(30, TimeUnit.SECONDS), "the flood fills the DHCP lane");
            for (int i = 0; i < PROBES; i++) {
                // A peer message: posted from another thread, as the peer transport posts one.
                CompletableFuture<long[]> ran = new CompletableFuture<>();
                long posted = System.nanoTime();
                loop.execute(() -> ran.complete(new long[] {System.nanoTime() - posted, handled.get()}));
                // Read after posting: if this thread loses its core between the two, the datagrams
                // run meanwhile are not counted; read before, they would be counted as the task's wait.
                long handledAtPost = handled.get();
                long[] run = ran.get(30, TimeUnit.SECONDS);
                executeWaits.add(run[0]);
                executeAhead.add(Math.max(0, run[1] - handledAtPost));
                // A timer, as the election sets one: how late it runs after its due time.
                CompletableFuture<long[]> fired = new CompletableFuture<>();
                loop.schedule(Duration.ofMillis(1), () -> fired.complete(new long[] {System.nanoTime(), handled.get()}));
                // At or after the loop's own due time, which it took before this line.
                long due = System.nanoTime() + 1_000_000;
                while (System.nanoTime() - due < 0) {
                    Thread.onSpinWait();
                }
                // Read once the timer is due: a late read only lowers the count, never raises it.
                long handledWhenDue = handled.get();
                long[] fire = fired.get(30, TimeUnit.SECONDS);
                timerLateness.add(Math.max(0, fire[0] - due));
                timerAhead.add(Math.max(0, fire[1] - handledWhenDue));
            }
        } finally {
            flooding.set(false);
            flood.join();
            loop.stopAsync().awaitTerminated();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long shed = loop.datagramsShed();
        String figures = String.format(Locale.ROOT, "lanes under a flood: %d datagrams offered in %.1f s, %d handled "
                + "(%.0f/s), %d shed; a datagram waited up to %.1f ms; datagrams run ahead of a peer task: max %d, of a "
                + "due timer: max %d (bound %d); peer task wait p50 %.2f ms, p99 %.2f ms, max %.2f ms; timer lateness "
                + "p50 %.2f ms, p99 %.2f ms, max %.2f ms", offered.get(), seconds, handled.get(), handled.get() / seconds,
                shed, datagramWaitMax.get() / 1e6, Collections.max(executeAhead), Collections.max(timerAhead), MOST_AHEAD,
                percentile(executeWaits, 50), percentile(executeWaits, 99), percentile(executeWaits, 100),
                percentile(timerLateness, 50), percentile(timerLateness, 99), percentile(timerLateness, 100));
        System.out.println(figures);

        assertTrue(shed > 0, "the lane was saturated: " + figures);
        assertEquals(offered.get(), handled.get() + shed + loop.backlog().datagrams(),
                "every datagram was handled, shed, or still waits: " + figures);
        assertTrue(Collections.max(executeAhead) <= MOST_AHEAD,
                "a peer task waited behind more than one turn of the DHCP lane: " + figures);
        assertTrue(Collections.max(timerAhead) <= MOST_AHEAD,
                "a due timer waited behind more than one turn of the DHCP lane: " + figures);
    }

    @Test
    @DisplayName("datagrams of one class run in the order they arrived, a full lane drops the oldest, and flushDatagrams runs every waiting one before it returns")
    void datagramsKeepTheirOrderAndFlush() throws Exception {
        EventLoop loop = new EventLoop("lanes-order", 64);
        loop.startAsync().awaitRunning();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            // The thread is held by one task, so the lane fills and holds its datagrams.
            loop.execute(() -> {
                busy.countDown();
                awaitQuietly(release);
            });
            assertTrue(busy.await(5, TimeUnit.SECONDS));
            for (int i = 0; i < 70; i++) {
                int n = i;
                loop.offerDatagram(() -> order.add(n));
            }
            assertEquals(6, loop.datagramsShed());
            assertEquals(6, loop.datagramsShed(DatagramClass.DISCOVER, ShedReason.FULL));
            assertEquals(64, loop.backlog().datagrams());
            release.countDown();
            loop.flushDatagrams(Duration.ofSeconds(5));
            // The six oldest made room for the six newest.
            List<Integer> expected = new ArrayList<>();
            for (int i = 6; i < 70; i++) {
                expected.add(i);
            }
            assertEquals(expected, order);
            assertEquals(0, loop.backlog().datagrams());
        } finally {
            release.countDown();
            loop.stopAsync().awaitTerminated();
        }
    }

    @Test
    @DisplayName("with every class of the lane full, a peer message and a due timer wait for one batch of datagrams at most, REQUESTs run first, and the counts say what was shed")
    void peerTrafficIsNeverStuckBehindAFullLane() throws Exception {
        EventLoop loop = new EventLoop("lanes-classes", 64);
        loop.startAsync().awaitRunning();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        LoopPeerHandler peers = new LoopPeerHandler(loop, new PeerHandler() {
            @Override
            public void received(PeerMessage message) {
                order.add("peer message");
            }

            @Override
            public void connected(NodeId peer) {
                order.add("peer " + peer.value() + " connected");
            }

            @Override
            public void disconnected(NodeId peer) {
                order.add("peer " + peer.value() + " gone");
            }
        });
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            loop.call(() -> {
                peers.open();
                return null;
            }, Duration.ofSeconds(5));
            loop.execute(() -> {
                busy.countDown();
                awaitQuietly(release);
            });
            assertTrue(busy.await(5, TimeUnit.SECONDS));
            // A flood of new clients first, then other clients' REQUESTs, then junk: every class overflows.
            for (int i = 0; i < 74; i++) {
                int n = i;
                loop.offerDatagram(DatagramClass.DISCOVER, () -> order.add("discover " + n));
            }
            for (int i = 0; i < 64; i++) {
                int n = i;
                loop.offerDatagram(DatagramClass.REQUEST, () -> order.add("request " + n));
            }
            for (int i = 0; i < 66; i++) {
                int n = i;
                loop.offerDatagram(DatagramClass.OTHER, () -> order.add("other " + n));
            }
            peers.connected(new NodeId(2));
            loop.schedule(Duration.ZERO, () -> order.add("timer"));
            assertEquals(3 * 64, loop.backlog().datagrams());
            release.countDown();
            loop.flushDatagrams(Duration.ofSeconds(5));

            int peer = order.indexOf("peer 2 connected");
            int timer = order.indexOf("timer");
            assertTrue(peer >= 0 && peer <= EventLoop.DATAGRAM_BATCH, "the peer waited for one batch at most: " + peer);
            assertTrue(timer >= 0 && timer <= EventLoop.DATAGRAM_BATCH + 1, "the timer waited for one batch at most: " + timer);
            List<String> datagrams = order.stream().filter(line -> !line.startsWith("peer") && !line.equals("timer")).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                expected.add("request " + i);
            }
            for (int i = 10; i < 74; i++) {
                expected.add("discover " + i);
            }
            for (int i = 2; i < 66; i++) {
                expected.add("other " + i);
            }
            assertEquals(expected, datagrams);
            assertEquals(0, loop.datagramsShed(DatagramClass.REQUEST, ShedReason.FULL));
            assertEquals(10, loop.datagramsShed(DatagramClass.DISCOVER, ShedReason.FULL));
            assertEquals(2, loop.datagramsShed(DatagramClass.OTHER, ShedReason.FULL));
            assertEquals(12, loop.datagramsShed());
        } finally {
            release.countDown();
            loop.stopAsync().awaitTerminated();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** The {@code p}th percentile of {@code nanos}, in milliseconds. */
    private static double percentile(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
