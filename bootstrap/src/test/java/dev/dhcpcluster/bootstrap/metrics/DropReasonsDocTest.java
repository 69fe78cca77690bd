package dev.dhcpcluster.bootstrap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.DropReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Keeps the drop reasons of docs/metrics.md in step with {@link DropReason}: a new reason must be explained there. */
class DropReasonsDocTest {

    private static final Path METRICS_DOC = Path.of("..", "docs", "metrics.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z_]+)` \\|", Pattern.MULTILINE);

    @Test
    @DisplayName("docs/metrics.md explains every drop reason the node counts, and no other")
    void everyDropReasonIsDocumented() throws IOException {
        String text = Files.readString(METRICS_DOC);
        int start = text.indexOf("\nDrop reasons:\n");
        assertTrue(start >= 0, "docs/metrics.md has a list headed 'Drop reasons:'");
        // The rows under the header's |---| line; the header names the column, `reason`.
        int body = text.indexOf("\n|---|", start);
        int end = text.indexOf("\n## ", start);
        assertTrue(body >= 0 && (end < 0 || body < end), "the drop reasons are a table");
        Matcher rows = ROW.matcher(text.substring(body, end < 0 ? text.length() : end));
        Set<String> documented = new TreeSet<>();
        while (rows.find()) {
            documented.add(rows.group(1));
        }

        Set<String> counted = Arrays.stream(DropReason.values()).map(EventMetrics::label)
                .collect(Collectors.toCollection(TreeSet::new));

        assertEquals(counted, documented);
    }
}
