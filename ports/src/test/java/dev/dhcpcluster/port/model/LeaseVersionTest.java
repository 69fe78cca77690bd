package dev.dhcpcluster.port.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LeaseVersionTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final NodeId THREE = new NodeId(3);

    private static LeaseVersion v(long epoch, long counter, NodeId writer) {
        return new LeaseVersion(epoch, counter, writer);
    }

    @Test
    @DisplayName("a version of a higher epoch is above every version of a lower one, whatever the counters")
    void higherEpochWinsOverHigherCounter() {
        assertTrue(v(2, 1, ONE).isAfter(v(1, 1_000_000, THREE)));
        assertTrue(v(1, 0, ONE).isAfter(v(0, Long.MAX_VALUE, THREE)));
        assertTrue(v(1, 1_000_000, THREE).compareTo(v(2, 1, ONE)) < 0);
    }

    @Test
    @DisplayName("within one epoch the higher counter wins, whatever the writers")
    void withinAnEpochTheCounterDecides() {
        assertTrue(v(3, 8, ONE).isAfter(v(3, 7, THREE)));
        assertTrue(v(3, 7, THREE).compareTo(v(3, 8, ONE)) < 0);
    }

    @Test
    @DisplayName("the writer's id breaks a tie of epoch and counter: the higher id is above")
    void writerBreaksTies() {
        assertTrue(v(3, 7, TWO).isAfter(v(3, 7, ONE)));
        assertFalse(v(3, 7, ONE).isAfter(v(3, 7, TWO)));
    }

    @Test
    @DisplayName("the order is total and agrees with equals: only the same three parts compare equal")
    void orderAgreesWithEquals() {
        assertEquals(0, v(3, 7, TWO).compareTo(v(3, 7, TWO)));
        assertEquals(v(3, 7, TWO), v(3, 7, TWO));
        assertFalse(v(3, 7, TWO).isAfter(v(3, 7, TWO)));
    }

    @Test
    @DisplayName("sorting a shuffled list gives epoch, then counter, then writer order")
    void sortsByEpochThenCounterThenWriter() {
        List<LeaseVersion> expected = List.of(v(0, 1, ONE), v(0, 1, THREE), v(0, 9, TWO), v(1, 0, TWO), v(1, 2, ONE),
                v(1, 2, TWO), v(4, 1, ONE));
        List<LeaseVersion> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(10));
        Collections.sort(shuffled);
        assertEquals(expected, shuffled);
    }

    @Test
    @DisplayName("next in the same epoch is one counter on, by the new writer, and above")
    void nextInTheSameEpochCountsOne() {
        LeaseVersion next = v(2, 17, THREE).next(2, ONE);
        assertEquals(v(2, 18, ONE), next);
        assertTrue(next.isAfter(v(2, 17, THREE)), "above although its writer's id is lower");
    }

    @Test
    @DisplayName("next in a higher epoch keeps the counter growing instead of starting it again")
    void nextInAHigherEpochKeepsCounting() {
        LeaseVersion next = v(2, 17, THREE).next(5, ONE);
        assertEquals(v(5, 18, ONE), next);
        assertTrue(next.isAfter(v(2, 17, THREE)));
    }

    @Test
    @DisplayName("a change in a lower epoch than the version it replaces is refused")
    void nextInALowerEpochIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v(4, 1, ONE).next(3, TWO));
        assertTrue(e.getMessage().contains("epoch 3") && e.getMessage().contains("4.1.1"), e.getMessage());
    }

    @Test
    @DisplayName("the counter never wraps: next of the largest counter fails")
    void counterDoesNotOverflow() {
        assertThrows(ArithmeticException.class, () -> v(0, Long.MAX_VALUE, ONE).next(1, ONE));
    }

    @Test
    @DisplayName("a chain of changes across epochs and writers grows at every step in order and in counter")
    void everyNextIsAboveTheLast() {
        LeaseVersion version = LeaseVersion.first(LeaseVersion.NO_EPOCH, THREE);
        long[] epochs = {0, 0, 1, 1, 1, 4, 4, 9};
        NodeId[] writers = {THREE, ONE, TWO, ONE, THREE, ONE, TWO, ONE};
        for (int i = 0; i < epochs.length; i++) {
            LeaseVersion next = version.next(epochs[i], writers[i]);
            assertTrue(next.isAfter(version), next + " after " + version);
            assertEquals(version.counter() + 1, next.counter());
            version = next;
        }
        assertEquals(v(9, 9, ONE), version);
    }

    @Test
    @DisplayName("the first version of an address is counter 1 in its epoch")
    void firstIsCounterOne() {
        assertEquals(v(0, 1, TWO), LeaseVersion.first(LeaseVersion.NO_EPOCH, TWO));
        assertEquals(v(6, 1, TWO), LeaseVersion.first(6, TWO));
    }

    @Test
    @DisplayName("the text form is epoch.counter.writer")
    void textForm() {
        assertEquals("0.17.1", v(0, 17, ONE).toString());
        assertEquals("3.9223372036854775807.2147483647", v(3, Long.MAX_VALUE, new NodeId(Integer.MAX_VALUE)).toString());
    }

    @Test
    @DisplayName("a negative epoch or counter, or no writer, is refused")
    void invalidPartsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> v(-1, 0, ONE));
        assertThrows(IllegalArgumentException.class, () -> v(0, -1, ONE));
        assertThrows(NullPointerException.class, () -> v(0, 0, null));
    }
}
