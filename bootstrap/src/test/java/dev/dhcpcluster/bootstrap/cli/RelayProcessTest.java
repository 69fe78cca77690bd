package dev.dhcpcluster.bootstrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.e2e.JavaCommand;
import dev.dhcpcluster.bootstrap.e2e.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dhcpcluster relay} as a process on loopback: it prints its ready line, reloads on SIGHUP and
 * on a change of its file without a signal, and stops on SIGTERM.
 */
class RelayProcessTest {

    private static final Pattern READY = Pattern.compile(
            "(?m)^dhcpcluster relay relays on udp 127\\.0\\.0\\.2:\\d+ to \\[127\\.0\\.0\\.1\\], admin http://127\\.0\\.0\\.1:(\\d+)$");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private Path stdout;
    private Path stderr;
    private Process relay;

    @AfterEach
    void cleanUp() {
        if (relay != null) {
            relay.destroyForcibly();
        }
    }

    @Test
    @DisplayName("SIGHUP reloads the relay, a change of its file too without a signal, and SIGTERM stops it")
    void reloadsAndStops() throws Exception {
        Path config = dir.resolve("relay.json");
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            port = probe.getLocalPort();
        }
        String file = """
                {"relay": {"transport": {"type": "udp", "listen-address": "127.0.0.2", "listen-port": %d},
                           "interfaces": [{"name": "lo", "address": "127.0.0.2"}],
                           "servers": [%s],
                           "admin": {"listen": "127.0.0.1:0"}}}
                """;
        Files.writeString(config, file.formatted(port, "{\"address\": \"127.0.0.1\"}"));
        stdout = dir.resolve("stdout.txt");
        stderr = dir.resolve("stderr.txt");
        List<String> argv = JavaCommand.of(List.of("-Xmx128m"), "dev.dhcpcluster.bootstrap.Main",
                List.of("relay", "--config", config.toString()));
        relay = new ProcessBuilder(argv).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        Matcher ready = Poll.until(TIMEOUT, "the ready line of pid " + relay.pid(), () -> {
            Matcher matcher = READY.matcher(read(stdout));
            if (matcher.find()) {
                return Optional.of(matcher);
            }
            if (!relay.isAlive()) {
                throw new AssertionError("the relay exited with " + relay.exitValue() + ":\n" + log());
            }
            return Optional.<Matcher>empty();
        }, this::log);
        String admin = "http://127.0.0.1:" + ready.group(1);

        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(relay.pid())).redirectErrorStream(true).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue());
        awaitLog("relay reloaded its config: nothing changed");
        assertTrue(relay.isAlive(), "SIGHUP must not stop the relay:\n" + log());

        Files.writeString(config, file.formatted(port, "{\"address\": \"127.0.0.1\"}, {\"address\": \"127.0.0.4\"}"));
        awaitLog("reload: servers: [127.0.0.1] -> [127.0.0.1, 127.0.0.4]");
        String status = get(admin + "/status");
        assertTrue(status.contains("\"address\" : \"127.0.0.4\""), status);
        assertTrue(get(admin + "/metrics").contains("dhcpcluster_relay_config_reloads_total{outcome=\"applied\"} 2.0"));

        relay.destroy();
        assertTrue(relay.waitFor(30, TimeUnit.SECONDS), "the relay did not stop on SIGTERM");
        assertEquals(143, relay.exitValue(), log());
    }

    private void awaitLog(String text) {
        Poll.until(TIMEOUT, "'" + text + "' in the relay's log",
                () -> log().contains(text) ? Optional.of(true) : Optional.<Boolean>empty(), this::log);
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private String log() {
        return read(stderr) + read(stdout);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
