package dev.dhcpcluster.adapter.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code expiry} column's text, formatted once per second and completed per row. */
class LeaseRowsExpiryTextTest {

    @Test
    @DisplayName("the expiry column reads as the instant to the millisecond, in every second and at every millisecond width")
    void theTextIsTheInstantToTheMillisecond() {
        LeaseRows.ExpiryText text = new LeaseRows.ExpiryText();
        long second = Instant.parse("2026-12-06T23:59:59Z").toEpochMilli();
        for (long millis : new long[] {second, second + 7, second + 42, second + 999, second + 1000, second + 1001,
                second - 1, 0, -1, -1000, 253_402_300_799_999L}) {
            assertEquals(expected(millis), text.of(millis), "at " + millis);
        }
        // Back to a second seen before: the kept text is replaced, not reused.
        assertEquals("2026-12-06T23:59:59.500Z", text.of(second + 500));
    }

    private static String expected(long millis) {
        String iso = Instant.ofEpochMilli(millis).toString(); // no fraction when it is zero
        return iso.contains(".") ? iso : iso.replace("Z", ".000Z");
    }
}
