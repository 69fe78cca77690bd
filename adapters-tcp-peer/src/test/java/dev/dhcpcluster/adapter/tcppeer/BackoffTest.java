package dev.dhcpcluster.adapter.tcppeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    @DisplayName("redials wait 100 ms, doubling up to 5 s")
    void doublesUpToTheCap() {
        long delay = 0;
        StringBuilder steps = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            delay = Backoff.next(delay);
            steps.append(delay).append(' ');
        }
        assertEquals("100 200 400 800 1600 3200 5000 5000 5000 ", steps.toString());
    }

    @Test
    @DisplayName("each wait is within 20 % of the nominal one, and they differ")
    void jitterStaysWithinTwentyPercent() {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 1_000; i++) {
            long jittered = Backoff.jittered(1_000);
            min = Math.min(min, jittered);
            max = Math.max(max, jittered);
        }
        assertTrue(min >= 800 && max <= 1_200, min + ".." + max);
        assertTrue(max - min > 100, "the waits are spread: " + min + ".." + max);
    }
}
