package dev.dhcpcluster.bootstrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dhcpcluster.bootstrap.e2e.JavaCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two log formats, each in a fresh JVM with the node's own Logback configuration: every event
 * is one line, a message with a line break and an exception with a multi-line message and a cause
 * included; the JSON line parses and carries the message as it was logged.
 */
class LogFormatTest {

    private static final String FORGING_MESSAGE = "first line\n2030-01-01 INFO fake: node stopped";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Logs two events (the first with an exception) after parsing its arguments as the dhcpcluster command line. */
    public static final class Probe {
        public static void main(String[] args) {
            DhcpclusterCommand.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                    .parseArgs(args);
            Logger log = LoggerFactory.getLogger("probe");
            log.warn(FORGING_MESSAGE, new IllegalStateException("broken\nline",
                    new IOException("cause\r\nhere \u001b[31m")));
            log.debug("debug {}", "shown");
            log.info("after");
            // As Guava's ServiceManager reports a failed service: through java.util.logging.
            java.util.logging.Logger.getLogger("jul.probe").log(java.util.logging.Level.SEVERE,
                    "service failed\nsecond line", new IllegalStateException("jul"));
            ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
        }
    }

    private record Run(int exit, String out, List<String> errLines) {
    }

    private static Run run(Path dir, List<String> jvmOptions, String mainClass, String... args) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(JavaCommand.of(jvmOptions, mainClass, List.of(args)))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe did not finish");
        List<String> lines = new ArrayList<>(Files.readAllLines(err, StandardCharsets.UTF_8));
        lines.removeIf(String::isEmpty);
        return new Run(process.exitValue(), Files.readString(out), lines);
    }

    @Test
    @DisplayName("text: a message with a newline and an exception with a cause is one line, escaped")
    void textFormatKeepsEveryEventOnOneLine(@TempDir Path dir) throws Exception {
        Run run = run(dir, List.of(), Probe.class.getName());

        assertEquals(0, run.exit());
        assertEquals("", run.out(), "nothing on standard output (no Logback status either)");
        assertEquals(3, run.errLines().size(), String.join("\n", run.errLines()));
        String warn = run.errLines().get(0);
        assertTrue(warn.matches("\\d{4}-\\d\\d-\\d\\dT\\S+ WARN  probe: .*"), warn);
        assertTrue(warn.contains("probe: first line\\n2030-01-01 INFO fake: node stopped | "
                + "java.lang.IllegalStateException: broken\\nline | at "), warn);
        // The cause was made in the same frame as the exception: its one frame is a common one.
        assertTrue(warn.endsWith(" | caused by: java.io.IOException: cause\\r\\nhere \\x1B[31m | ... 1 common frames omitted"),
                warn);
        assertTrue(run.errLines().get(1).endsWith(" INFO  probe: after"), run.errLines().get(1));
        // A library's java.util.logging record: the same format, one line, not JUL's two-line record.
        String jul = run.errLines().get(2);
        assertTrue(jul.matches("\\d{4}-\\d\\d-\\d\\dT\\S+ ERROR probe: service failed\\\\nsecond line \\| "
                + "java.lang.IllegalStateException: jul \\| at .*"), jul);
        run.errLines().forEach(line -> assertFalse(line.startsWith("2030"), line));
    }

    @Test
    @DisplayName("json (-Ddhcpcluster.log.format=json): one parseable object per event, with the raw message")
    void jsonFormatIsOneObjectPerLine(@TempDir Path dir) throws Exception {
        Run run = run(dir, List.of("-Ddhcpcluster.log.format=json"), Probe.class.getName());

        assertEquals(0, run.exit());
        assertEquals("", run.out());
        assertEquals(3, run.errLines().size(), String.join("\n", run.errLines()));
        JsonNode warn = JSON.readTree(run.errLines().get(0));
        assertEquals("WARN", warn.get("level").asText());
        assertEquals("probe", warn.get("loggerName").asText());
        assertTrue(warn.get("timestamp").isNumber(), warn.toString());
        assertEquals(FORGING_MESSAGE, warn.get("formattedMessage").asText());
        assertEquals("java.lang.IllegalStateException", warn.get("throwable").get("className").asText());
        assertEquals("broken\nline", warn.get("throwable").get("message").asText());
        assertEquals("cause\r\nhere \u001b[31m", warn.get("throwable").get("cause").get("message").asText());
        assertTrue(warn.get("throwable").get("stepArray").size() > 0, warn.toString());
        JsonNode info = JSON.readTree(run.errLines().get(1));
        assertEquals("after", info.get("formattedMessage").asText());
        JsonNode jul = JSON.readTree(run.errLines().get(2));
        assertEquals("ERROR", jul.get("level").asText());
        assertEquals("jul.probe", jul.get("loggerName").asText());
        assertEquals("service failed\nsecond line", jul.get("formattedMessage").asText());
    }

    @Test
    @DisplayName("--log-format json switches the format and keeps a --log-level given before it")
    void theCommandLineSwitchChoosesJsonAndKeepsTheLevel(@TempDir Path dir) throws Exception {
        Run run = run(dir, List.of(), Probe.class.getName(), "--log-level", "DEBUG", "--log-format", "json");

        assertEquals(4, run.errLines().size(), String.join("\n", run.errLines()));
        List<String> messages = new ArrayList<>();
        for (String line : run.errLines()) {
            messages.add(JSON.readTree(line).get("formattedMessage").asText());
        }
        assertEquals(List.of(FORGING_MESSAGE, "debug shown", "after", "service failed\nsecond line"), messages);
    }

    @Test
    @DisplayName("--log-format text wins over -Ddhcpcluster.log.format=json")
    void theCommandLineWinsOverTheProperty(@TempDir Path dir) throws Exception {
        Run run = run(dir, List.of("-Ddhcpcluster.log.format=json"), Probe.class.getName(), "--log-format", "TEXT");

        assertEquals(3, run.errLines().size(), String.join("\n", run.errLines()));
        assertTrue(run.errLines().get(1).endsWith(" INFO  probe: after"), run.errLines().get(1));
    }

    @Test
    @DisplayName("an unknown -Ddhcpcluster.log.format is refused with one line and exit 2")
    void anUnknownFormatPropertyIsRefused(@TempDir Path dir) throws Exception {
        Run run = run(dir, List.of("-Ddhcpcluster.log.format=xml"), "dev.dhcpcluster.bootstrap.Main", "--version");

        assertEquals(DhcpclusterCommand.USAGE, run.exit());
        assertEquals("", run.out());
        assertEquals(List.of("-Ddhcpcluster.log.format: \"xml\" is not a log format; use text or json"), run.errLines());
    }
}
