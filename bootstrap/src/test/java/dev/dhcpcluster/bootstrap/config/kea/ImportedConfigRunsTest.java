package dev.dhcpcluster.bootstrap.config.kea;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node runs on the file {@code import-kea} makes of Debian's kea-dhcp4.conf. As any test
 * fixture, the test points the transport and the admin endpoint at loopback on free ports and the
 * data directory at a temporary directory; everything else is the converted file as written. No traffic is sent: the
 * file's subnet (192.0.2.0/24) is documentation space and appears in the configuration only.
 */
class ImportedConfigRunsTest {

    @Test
    @DisplayName("a node started on the converted Debian configuration prints its serving line")
    void convertedDebianConfigStartsANode(@TempDir Path dir) throws Exception {
        KeaImport.Result result = new KeaImport().convert(KeaPackageFiles.debianConfig());
        assertEquals(List.of(), result.loadErrors());
        ObjectMapper json = new ObjectMapper();
        ObjectNode file = (ObjectNode) json.readTree(result.nodeFile());
        ObjectNode transport = file.putObject("transport");
        transport.put("type", "udp");
        transport.put("listen-address", "127.0.0.1");
        transport.put("listen-port", 0);
        file.putObject("admin").put("listen", "127.0.0.1:0");
        ((ObjectNode) file.get("node")).put("data-directory", dir.resolve("data").toString());
        Path config = dir.resolve("node.json");
        Files.writeString(config, json.writerWithDefaultPrettyPrinter().writeValueAsString(file));
        Path stderr = dir.resolve("stderr.txt");

        Process node = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.dhcpcluster.bootstrap.Main",
                "run", "--config", config.toString())
                .redirectError(stderr.toFile())
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            String ready = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
            assertNotNull(ready, () -> "no serving line; stderr: " + read(stderr));
            assertTrue(ready.matches("dhcpcluster node 1 serving 192\\.0\\.2\\.0/24 on udp 127\\.0\\.0\\.1:\\d+.*"), ready);
            assertTrue(Files.exists(dir.resolve("data").resolve("leases.db")), "the sqlite store the import chose");
            node.destroy(); // SIGTERM
            assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node did not stop on SIGTERM");
        } finally {
            node.destroyForcibly();
            node.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
