package dev.dhcpcluster.bootstrap.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.relay.RelayDropReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Keeps the relay's drop reasons in docs/metrics.md in step with {@link RelayDropReason}. */
class RelayMetricsDocTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z-]+)` \\|", Pattern.MULTILINE);

    @Test
    @DisplayName("docs/metrics.md explains every reason the relay drops a datagram for, and no other")
    void everyRelayDropReasonIsExplained() throws Exception {
        String text = Files.readString(Path.of("..", "docs", "metrics.md"), StandardCharsets.UTF_8);
        int start = text.indexOf("\nRelay drop reasons");
        assertTrue(start >= 0, "docs/metrics.md has a list headed 'Relay drop reasons'");
        int end = text.indexOf("\n\n", text.indexOf("|---|", start));
        Matcher rows = ROW.matcher(text.substring(start, end < 0 ? text.length() : end));
        Set<String> documented = new TreeSet<>();
        while (rows.find()) {
            documented.add(rows.group(1));
        }
        Set<String> counted = new TreeSet<>(Arrays.stream(RelayDropReason.values()).map(RelayCounters::label).toList());
        assertEquals(counted, documented);
    }
}
