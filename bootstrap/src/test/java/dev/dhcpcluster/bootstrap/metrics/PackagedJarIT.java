package dev.dhcpcluster.bootstrap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dhcpcluster.bootstrap.e2e.Poll;
import dev.dhcpcluster.bootstrap.metrics.PrometheusText.Exposition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as it ships ({@code target/dhcpcluster.jar}, built by the package phase): a node
 * started from it serves {@code /metrics} and {@code /status}, and the demo runs. Unit tests run
 * on the build's class path, which can hold what the shaded jar left out; only this test sees the
 * jar an operator runs. Failsafe runs it after the jar is built.
 */
class PackagedJarIT {

    private static final Path JAR = Path.of("target", "dhcpcluster.jar");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DEMO_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern ADMIN = Pattern.compile("admin endpoint on (http://127\\.0\\.0\\.1:\\d+/)");

    @TempDir
    Path dir;

    private Process start(List<String> arguments, Path out, Path err) throws IOException {
        assertTrue(Files.isRegularFile(JAR), "the package phase builds " + JAR.toAbsolutePath());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(arguments);
        return new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    @Test
    @DisplayName("a node run from the shipped jar answers /metrics in the Prometheus text format, and /status")
    void nodeFromTheJarServesItsAdminEndpoint() throws Exception {
        Path config = dir.resolve("node.json");
        Files.writeString(config, """
                {"node": {"id": 3, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 0, "relay-port": 6768},
                 "admin": {"listen": "127.0.0.1:0"},
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.1.1 - 198.18.1.50"}],
                                        "relay": {"ip-addresses": ["127.0.0.2"]}}]}}
                """.formatted(dir.resolve("data")));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process node = start(List.of("run", "--config", config.toString()), out, err);
        try {
            URI admin = Poll.until(TIMEOUT, "the node's admin endpoint line", () -> {
                if (!node.isAlive()) {
                    throw new AssertionError("the node exited with " + node.exitValue() + ":\n" + read(out) + "\n"
                            + read(err));
                }
                Matcher found = ADMIN.matcher(read(err));
                return found.find() && read(out).contains("serving") ? Optional.of(URI.create(found.group(1)))
                        : Optional.empty();
            }, () -> "stdout:\n" + read(out) + "\nstderr:\n" + read(err) + "\nalive: " + node.isAlive());
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(admin.resolve("/metrics"))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode(), metrics.body());
            Exposition scrape = PrometheusText.parse(metrics.body());
            assertEquals(50, scrape.value("dhcpcluster_subnet_addresses", "subnet", "198.18.0.0/16"));
            assertEquals(0, scrape.value("dhcpcluster_leases_bound_total"));
            assertTrue(scrape.families().containsKey("jvm_memory_used_bytes"), scrape.families().keySet().toString());

            HttpResponse<String> status = http.send(HttpRequest.newBuilder(admin.resolve("/status"))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, status.statusCode(), status.body());
            JsonNode json = new ObjectMapper().readTree(status.body());
            assertEquals(3, json.path("node").asInt(), status.body());
        } finally {
            node.destroy();
            assertTrue(node.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the node stops on SIGTERM");
        }
        assertTrue(read(err).contains("node 3 stopped"), read(err));
    }

    @Test
    @DisplayName("the demo README names runs from the shipped jar: three node processes, one killed, every lease kept")
    void demoRunsFromTheJar() throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process demo = start(List.of("demo", "--count", "30"), out, err);
        // The demo's own budget is a minute (DemoLoopbackTest holds it to that); the wait has room
        // for a build machine that starts four JVMs slowly.
        if (!demo.waitFor(DEMO_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            demo.destroyForcibly();
            throw new AssertionError("the demo did not end within " + DEMO_TIMEOUT.toSeconds() + " s:\n" + read(out)
                    + "\n" + read(err));
        }
        assertEquals(0, demo.exitValue(), "stdout:\n" + read(out) + "\nstderr:\n" + read(err));
        assertTrue(read(out).contains("renewed 30 of 30 on the same address"), read(out));
        assertTrue(read(out).contains("demo OK in "), read(out));
    }
}
