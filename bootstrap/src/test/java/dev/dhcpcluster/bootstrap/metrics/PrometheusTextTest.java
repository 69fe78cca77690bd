package dev.dhcpcluster.bootstrap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.metrics.PrometheusText.Exposition;
import dev.dhcpcluster.bootstrap.metrics.PrometheusText.MalformedException;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test parser of the text format: what it accepts, and that it refuses what is not the format. */
class PrometheusTextTest {

    @Test
    @DisplayName("HELP, TYPE, labels with escapes, special values, timestamps and comments are read")
    void readsTheFormat() throws Exception {
        Exposition scrape = PrometheusText.parse("""
                # a comment that means nothing
                # HELP requests_total Requests seen,\\nby path (a \\\\ backslash)
                # TYPE requests_total counter
                requests_total{path="/a \\"quoted\\" \\\\ back\\nline",code="200",} 12 1700000000000
                requests_total{path="/b"} 1.5e3

                # TYPE temperature gauge
                temperature NaN
                other_metric{ a = "1" , b="2" } -Inf
                other_metric +Inf
                """);

        assertEquals("counter", scrape.family("requests_total").type());
        assertEquals("Requests seen,\nby path (a \\ backslash)", scrape.family("requests_total").help());
        assertEquals(12, scrape.value("requests_total", "path", "/a \"quoted\" \\ back\nline", "code", "200"));
        assertEquals(OptionalLong.of(1700000000000L), scrape.family("requests_total").samples().get(0).timestamp());
        assertEquals(1500, scrape.value("requests_total", "path", "/b"));
        assertTrue(Double.isNaN(scrape.value("temperature")));
        assertEquals("untyped", scrape.family("other_metric").type());
        assertEquals(Double.NEGATIVE_INFINITY, scrape.value("other_metric", "a", "1", "b", "2"));
        assertEquals(Double.POSITIVE_INFINITY, scrape.value("other_metric"));
    }

    @Test
    @DisplayName("a histogram's buckets, sum and count belong to it")
    void readsAHistogram() throws Exception {
        Exposition scrape = PrometheusText.parse("""
                # TYPE latency_seconds histogram
                latency_seconds_bucket{le="0.1"} 1
                latency_seconds_bucket{le="1.0"} 3
                latency_seconds_bucket{le="+Inf"} 4
                latency_seconds_count 4
                latency_seconds_sum 7.25
                """);

        assertEquals(5, scrape.family("latency_seconds").samples().size());
        assertEquals(3, scrape.value("latency_seconds_bucket", "le", "1.0"));
        assertEquals(Map.of(), scrape.family("latency_seconds").samples().get(4).labels());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @DisplayName("malformed input is refused")
    @ValueSource(strings = {
        "metric 1", // no final line feed
        "1metric 1\n", // bad name
        "metric\n", // no value
        "metric 1 2 3\n", // junk after the timestamp
        "metric one\n", // not a number
        "metric 0x10\n", // hex is not allowed
        "metric 1.5 12.5\n", // timestamp not an integer
        "metric Infinity\n", // Java's spelling, not the format's
        "metric{a=\"1\" 1\n", // label set not closed
        "metric{a=\"1} 1\n", // label value not closed
        "metric{a=1} 1\n", // label value not quoted
        "metric{a=\"\\t\"} 1\n", // unknown escape
        "metric{a=\"1\",a=\"2\"} 1\n", // label twice
        "metric{__name__=\"x\"} 1\n", // reserved label
        "metric{1a=\"x\"} 1\n", // bad label name
        "metric{a=\"1\"}1\n", // no blank before the value
        "metric 1\nmetric 2\n", // the same series twice
        "metric 1\r\n", // carriage return
        "# TYPE metric counter\n# TYPE metric counter\nmetric 1\n", // TYPE twice
        "# HELP metric a\n# HELP metric b\nmetric 1\n", // HELP twice
        "metric 1\n# TYPE metric gauge\n", // TYPE after the first sample
        "# TYPE metric thing\nmetric 1\n", // unknown type
        "# TYPE metric\nmetric 1\n", // TYPE without a type
        "# HELP metric bad \\t escape\nmetric 1\n", // bad escape in HELP
        "# HELP\n", // HELP without a name
        "a 1\nb 1\na{x=\"y\"} 1\n", // lines of a metric not grouped
        "# TYPE c_total counter\nc_total -1\n", // negative counter
        "# TYPE h histogram\nh_bucket 1\n", // bucket without le
        "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n", // not cumulative
        "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\n", // not ascending
        "# TYPE h histogram\nh_bucket{le=\"1\"} 1\n", // no +Inf bucket
        "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\n", // count is not the +Inf bucket
    })
    void refusesMalformedInput(String text) {
        assertThrows(MalformedException.class, () -> PrometheusText.parse(text));
    }

    @Test
    @DisplayName("the refusal names the line")
    void theRefusalNamesTheLine() {
        MalformedException refused = assertThrows(MalformedException.class,
                () -> PrometheusText.parse("# TYPE good gauge\ngood 1\nbad value\n"));

        assertEquals("line 3: value value is not a number", refused.getMessage());
    }
}
