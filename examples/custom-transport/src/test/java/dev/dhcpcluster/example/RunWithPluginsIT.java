package dev.dhcpcluster.example;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dhcpcluster.testkit.client.Reaction;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dhcpcluster command serves DHCP with the example's transport named in its file: once with the
 * example's jar on the class path, once with it in a {@code --plugins} directory. A real process,
 * stopped by the PID it was started with.
 */
class RunWithPluginsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    @Test
    @DisplayName("java -cp dhcpcluster.jar:example.jar ... run serves through the example's transport")
    void theExampleJarOnTheClassPath() throws Exception {
        Path jar = dhcpclusterJar();
        Path example = Path.of(System.getProperty("example.jar"));
        serves(List.of("-cp", jar + ":" + example, "dev.dhcpcluster.bootstrap.Main", "run"), List.of());
    }

    @Test
    @DisplayName("run --plugins DIR serves through the example's transport, found in a jar of that directory")
    void theExampleJarInAPluginDirectory() throws Exception {
        Path plugins = Files.createDirectory(directory.resolve("plugins"));
        Files.copy(Path.of(System.getProperty("example.jar")), plugins.resolve("example.jar"));
        serves(List.of("-jar", dhcpclusterJar().toString(), "run"), List.of("--plugins", plugins.toString()));
    }

    private void serves(List<String> command, List<String> options) throws Exception {
        Path socket = Files.createTempDirectory("uxp").resolve("dhcp.sock");
        Path file = directory.resolve("node.json");
        Files.writeString(file, Dora.nodeFile(2, directory.resolve("data"), socket, "process"));
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        line.addAll(command);
        line.addAll(List.of("--config", file.toString()));
        line.addAll(options);
        try (SocketController controller = new SocketController(socket)) {
            Process node = new ProcessBuilder(line).redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(),
                        StandardCharsets.UTF_8));
                String ready = CompletableFuture.supplyAsync(() -> readyLine(out)).get(30, TimeUnit.SECONDS);
                assertTrue(ready.endsWith(" on unix-socket " + socket), ready);
                Reaction reaction = Dora.run(controller, "02:00:00:00:0e:02", TIMEOUT);
                assertInstanceOf(Reaction.Bound.class, reaction, reaction.toString());
            } finally {
                node.destroy();
                if (!node.waitFor(20, TimeUnit.SECONDS)) {
                    node.destroyForcibly();
                }
            }
            assertTrue(node.exitValue() == 0 || node.exitValue() == 143, "stopped by SIGTERM: " + node.exitValue());
        }
    }

    /** The node's "serving" line; every earlier line is the node's log. */
    private static String readyLine(BufferedReader out) {
        try {
            List<String> seen = new ArrayList<>();
            for (String text = out.readLine(); text != null; text = out.readLine()) {
                if (text.startsWith("dhcpcluster node ")) {
                    return text;
                }
                seen.add(text);
            }
            throw new AssertionError("the node ended without serving: " + seen);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The runnable jar: built by the root build; a missing one fails under CI, and skips loudly elsewhere. */
    private static Path dhcpclusterJar() {
        String configured = System.getProperty("dhcpcluster.jar", "");
        Path jar = configured.isEmpty() || configured.startsWith("${") ? null : Path.of(configured);
        if (jar == null || !Files.isRegularFile(jar)) {
            String why = "no runnable dhcpcluster.jar (" + configured + "): build dhcpcluster first, or pass "
                    + "-Ddhcpcluster.jar=PATH";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            System.err.println("SKIPPED: " + why);
            Assumptions.abort(why);
        }
        return jar;
    }
}
