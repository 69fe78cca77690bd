package dev.dhcpcluster.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentest4j.AssertionFailedError;

/**
 * A dhcpcluster relay agent ({@code Main relay --config FILE}) running in a lab host's namespace,
 * in its own JVM with the test classpath. Like a {@link NodeProcess}, it is known and stopped by
 * its PID only, and everything a test learns about it comes from its admin endpoint
 * ({@code /status}, {@code /metrics}), asked from inside its namespace.
 */
public final class RelayProcess {

    /** Where the relay's admin endpoint listens: the loopback of its namespace, beside no node's. */
    public static final String ADMIN_LISTEN = "127.0.0.1:9068";

    private static final String MAIN = "dev.dhcpcluster.bootstrap.Main";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LabHost host;
    private final LabProcess process;
    private final Path configFile;

    private RelayProcess(LabHost host, LabProcess process, Path configFile) {
        this.host = host;
        this.process = process;
        this.configFile = configFile;
    }

    /**
     * Writes {@code config} to {@code <name>.json} in the lab's work directory, starts the relay on
     * {@code host}, and waits (bounded) until it is ready: its admin endpoint answers and it holds
     * UDP port 67 in its namespace; fails with the relay's output if it exits first.
     */
    public static RelayProcess start(NetworkLab lab, LabHost host, String name, RelayConfigFile config) {
        Path file = lab.workDirectory().resolve(name + ".json");
        try {
            Files.writeString(file, config.toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        List<String> argv = JavaCommand.of(List.of("-Xmx128m"), MAIN, List.of("relay", "--config", file.toString()));
        RelayProcess relay = new RelayProcess(host, lab.start(name, host, argv), file);
        relay.awaitReady();
        return relay;
    }

    private void awaitReady() {
        Poll.until(READY_TIMEOUT, process.name() + " to answer on " + ADMIN_LISTEN + " and listen on UDP port 67", () -> {
            if (!process.isAlive()) {
                throw new AssertionFailedError(process.name() + " exited during start-up" + System.lineSeparator()
                        + describe());
            }
            return admin("/status").isPresent() && listensOnPort67() ? Optional.of(true) : Optional.empty();
        }, this::describe);
    }

    private boolean listensOnPort67() {
        Command.Result sockets = host.run(ADMIN_TIMEOUT, Tools.require("ss"), "-H", "-l", "-u", "-n", "sport = :67");
        return sockets.succeeded() && !sockets.output().isBlank();
    }

    /**
     * Asks the relay's admin endpoint for {@code path} from inside its namespace; the body of a 200
     * answer, or empty if there was none.
     */
    public Optional<String> admin(String path) {
        Command.Result result = host.run(ADMIN_TIMEOUT, Tools.require("busybox"), "wget", "-q", "-O", "-",
                "http://" + ADMIN_LISTEN + path);
        return result.succeeded() ? Optional.of(result.output()) : Optional.empty();
    }

    /** The relay's {@code /status}; fails if it does not answer. */
    public JsonNode status() {
        String text = admin("/status").orElseThrow(() -> new AssertionFailedError("the relay did not answer /status"
                + System.lineSeparator() + describe()));
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionFailedError("the relay's /status is not JSON: " + text, e);
        }
    }

    /** The relay's {@code /metrics} text; fails if it does not answer. */
    public String metrics() {
        return admin("/metrics").orElseThrow(() -> new AssertionFailedError("the relay did not answer /metrics"
                + System.lineSeparator() + describe()));
    }

    /**
     * The value of one sample of {@code /metrics}, such as
     * {@code dhcpcluster_relay_dropped_total{reason="malformed"}}, or 0 if the relay shows no such
     * sample (a counter with labels shows a label's sample only once it has counted something).
     * A test that reads a sample therefore also asserts that some sample of it moved.
     */
    public long metric(String sample) {
        return metric(metrics(), sample);
    }

    /** The value of {@code sample} in the {@code /metrics} text {@code metrics}, 0 if absent. */
    public static long metric(String metrics, String sample) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(metrics);
        return matcher.find() ? Math.round(Double.parseDouble(matcher.group(1))) : 0;
    }

    /** Asks the relay to re-read its config file (SIGHUP). */
    public void reload() {
        process.signal("HUP");
    }

    /** Returns the operating system's process id of the relay. */
    public long pid() {
        return process.pid();
    }

    /** Returns the relay's config file. */
    public Path configFile() {
        return configFile;
    }

    /** Returns everything the relay has logged so far. */
    public String output() {
        return process.output();
    }

    /** Returns whether the relay's process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Returns the relay's {@code /status} (if it answers) and output, for failure messages. */
    public String describe() {
        return "--- relay /status: " + (process.isAlive() ? admin("/status").orElse("(no answer)").strip() : "(not running)")
                + System.lineSeparator() + process.describe();
    }

    /** Stops the relay: SIGTERM to its PID, SIGKILL if it has not ended after {@code grace}. */
    public OptionalInt stop(Duration grace) {
        return process.stop(grace);
    }
}
