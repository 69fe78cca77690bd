package dev.dhcpcluster.core.relay;

import static dev.dhcpcluster.core.relay.ClusterFixture.START;
import static dev.dhcpcluster.core.relay.ClusterFixture.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dhcpcluster.core.dhcp.TestPackets;
import dev.dhcpcluster.port.model.HardwareAddress;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A client that floods is throttled to its rate and burst; everyone else keeps theirs. On a virtual clock. */
class ClientRateLimiterTest {

    private static byte[] from(int client) {
        return TestPackets.discover().withHardwareAddress(HardwareAddress.ethernet(new byte[] {
            2, 0, 0, (byte) (client >> 16), (byte) (client >> 8), (byte) client})).encode();
    }

    @Test
    @DisplayName("a client may send its burst at once, then one request per 1/rate seconds")
    void burstThenRate() {
        ClientRateLimiter limiter = new ClientRateLimiter(2, 5, 100);
        byte[] request = from(1);

        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.allow(request, START), "request " + i + " of the burst");
        }
        assertFalse(limiter.allow(request, START));
        assertFalse(limiter.allow(request, START + seconds(0.4)));
        assertTrue(limiter.allow(request, START + seconds(0.5)), "one token back after 1/rate");
        assertFalse(limiter.allow(request, START + seconds(0.6)));
        assertTrue(limiter.allow(request, START + seconds(1)));
        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.allow(request, START + seconds(100)), "a quiet client gets its whole burst back");
        }
        assertFalse(limiter.allow(request, START + seconds(100)), "but no more than the burst");
    }

    @Test
    @DisplayName("one client at 1000 req/s and 100 others at 1 req/s: all the others pass, the flooder is held to rate + burst")
    void aFlooderCannotStarveTheOthers() {
        double rate = 10;
        int burst = 20;
        ClientRateLimiter limiter = new ClientRateLimiter(rate, burst, 1000);
        byte[] flooder = from(0);
        byte[][] others = new byte[100][];
        for (int i = 0; i < others.length; i++) {
            others[i] = from(i + 1);
        }
        int flooderPassed = 0;
        int othersPassed = 0;
        int othersSent = 0;
        int seconds = 10;
        for (int ms = 0; ms < seconds * 1000; ms++) {
            long now = START + seconds(ms / 1000.0);
            flooderPassed += limiter.allow(flooder, now) ? 1 : 0;
            if (ms % 10 == 0 && ms / 10 % 100 < others.length) {
                othersSent++;
                othersPassed += limiter.allow(others[ms / 10 % 100], now) ? 1 : 0;
            }
        }

        assertEquals(othersSent, othersPassed, "every request of the well-behaved clients passed");
        assertEquals(seconds * 100, othersSent);
        assertTrue(flooderPassed <= burst + rate * seconds, "the flooder got " + flooderPassed + " of 10,000 through");
        assertTrue(flooderPassed >= burst + rate * (seconds - 1), "the flooder still gets its rate: " + flooderPassed);
    }

    @Test
    @DisplayName("the table is bounded: a flood of made-up MACs evicts the least recently seen clients, never grows past the limit")
    void theTableIsBounded() {
        ClientRateLimiter limiter = new ClientRateLimiter(1, 1, 3000);
        byte[] regular = from(1);
        assertTrue(limiter.allow(regular, START));
        assertFalse(limiter.allow(regular, START), "its burst is used up");

        for (int i = 0; i < 2999; i++) {
            limiter.allow(from(1000 + i), START);
            assertFalse(limiter.allow(regular, START), "the regular is seen often, so kept and still limited");
        }
        assertEquals(3000, limiter.clients());
        for (int i = 0; i < 10_000; i++) {
            assertTrue(limiter.allow(from(100_000 + i), START), "each made-up client passes once");
        }
        assertEquals(3000, limiter.clients(), "never more than max-clients");
        assertTrue(limiter.allow(regular, START), "the regular was evicted: it starts again with a full bucket");
    }

    @Test
    @DisplayName("clients differ by every octet of chaddr up to hlen, and by hardware type")
    void keyedByTheWholeHardwareAddress() {
        ClientRateLimiter limiter = new ClientRateLimiter(1, 1, 10);
        byte[] first = TestPackets.discover().withHardwareAddress(HardwareAddress.of(1, new byte[16])).encode();
        byte[] lastOctet = first.clone();
        lastOctet[28 + 15] = 1;
        byte[] otherType = first.clone();
        otherType[1] = 6;

        assertTrue(limiter.allow(first, START));
        assertTrue(limiter.allow(lastOctet, START));
        assertTrue(limiter.allow(otherType, START));
        assertFalse(limiter.allow(first, START));
        assertFalse(limiter.allow(lastOctet, START));
        assertFalse(limiter.allow(otherType, START));
    }

    @Test
    @DisplayName("a datagram too short to name a client passes, for the agent to drop as malformed")
    void runtsPass() {
        ClientRateLimiter limiter = new ClientRateLimiter(1, 1, 10);
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.allow(new byte[10], START));
        }
        assertEquals(0, limiter.clients());
    }

    @Test
    @DisplayName("a zero, negative or infinite rate, a burst or table under 1 are refused")
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClientRateLimiter(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ClientRateLimiter(-1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ClientRateLimiter(Double.NaN, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ClientRateLimiter(Double.POSITIVE_INFINITY, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ClientRateLimiter(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ClientRateLimiter(1, 1, 0));
    }

    @Test
    @DisplayName("allow allocates nothing for a client it knows")
    void allowDoesNotAllocateForAKnownClient() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "this JVM cannot count allocated bytes");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        ClientRateLimiter limiter = new ClientRateLimiter(1000, 10, 100);
        byte[][] clients = new byte[50][];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = from(i);
        }
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) {
            limiter.allow(clients[i % clients.length], START + i * 1000L);
        }

        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            limiter.allow(clients[i % clients.length], START + seconds(1) + i * 1000L);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertTrue(allocated < 4096, allocated + " bytes allocated by 100,000 calls");
    }
}
