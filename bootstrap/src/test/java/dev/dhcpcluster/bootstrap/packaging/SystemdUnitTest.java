package dev.dhcpcluster.bootstrap.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.e2e.Tools;
import dev.dhcpcluster.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd unit in {@code packaging/}: {@code systemd-analyze verify} accepts it without a
 * warning, and it grants what the node needs and nothing more. Without systemd-analyze the verify
 * test is skipped with a banner on stderr, or fails under CI ({@code CI=true}).
 */
class SystemdUnitTest {

    private static final Path PACKAGING = Path.of("..", "packaging");
    private static final Path UNIT = PACKAGING.resolve("dhcpcluster.service");
    private static final Path SYSUSERS = PACKAGING.resolve("dhcpcluster.sysusers");
    /** The java the unit starts; verify checks that ExecStart's program exists, so a copy names this JVM's. */
    private static final String UNIT_JAVA = "/usr/bin/java";

    @TempDir
    Path dir;

    @Test
    @DisplayName("systemd-analyze verify accepts the unit without a warning")
    void verifyAcceptsTheUnit() throws Exception {
        Path unit = copyWithThisJava(Files.readString(UNIT));
        List<String> output = verify(unit);
        assertEquals(List.of(), output.stream().filter(line -> line.contains("dhcpcluster")).toList(),
                "systemd-analyze verify warned about the unit");
    }

    @Test
    @DisplayName("the verify step sees a mistake in the unit (so the test above can fail)")
    void verifyReportsAMistake() throws Exception {
        String broken = Files.readString(UNIT).replace("Restart=on-failure", "Restart=sometimes")
                .replace("ProtectHome=yes", "ProtectHom=yes");
        List<String> output = verify(copyWithThisJava(broken));
        assertTrue(output.stream().anyMatch(line -> line.contains("sometimes")), output.toString());
        assertTrue(output.stream().anyMatch(line -> line.contains("ProtectHom")), output.toString());
    }

    @Test
    @DisplayName("the unit runs the node as its own user with only the network capabilities, and reloads on SIGHUP")
    void unitGrantsOnlyWhatTheNodeNeeds() throws Exception {
        Map<String, String> service = section(Files.readString(UNIT), "Service");
        String user = Files.readAllLines(SYSUSERS).stream().filter(line -> line.startsWith("u "))
                .map(line -> line.split("\\s+")[1]).findFirst().orElseThrow();
        assertEquals(user, service.get("User"), "the user the sysusers file creates");
        assertEquals("CAP_NET_BIND_SERVICE CAP_NET_RAW", service.get("AmbientCapabilities"));
        assertEquals("CAP_NET_BIND_SERVICE CAP_NET_RAW", service.get("CapabilityBoundingSet"));
        assertEquals("on-failure", service.get("Restart"));
        assertEquals("dhcpcluster", service.get("StateDirectory"), "/var/lib/dhcpcluster, the default data directory");
        assertEquals("/bin/kill -HUP $MAINPID", service.get("ExecReload"));
        assertEquals("yes", service.get("NoNewPrivileges"));
        assertEquals("strict", service.get("ProtectSystem"));
        assertTrue(service.get("ExecStart").endsWith(" run --config /etc/dhcpcluster/node.json"), service.get("ExecStart"));
        assertFalse(service.containsKey("DynamicUser"));
    }

    /** The [section]'s settings; a key set twice keeps its last value, as systemd does. */
    private static Map<String, String> section(String unit, String name) {
        Map<String, String> settings = new LinkedHashMap<>();
        String current = "";
        for (String line : unit.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
                current = trimmed.substring(1, trimmed.length() - 1);
            } else if (current.equals(name) && !trimmed.isEmpty() && !trimmed.startsWith("#") && trimmed.contains("=")) {
                int equals = trimmed.indexOf('=');
                settings.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
            }
        }
        return settings;
    }

    private Path copyWithThisJava(String unit) throws IOException {
        assertTrue(unit.contains("ExecStart=" + UNIT_JAVA + " "), "the unit starts " + UNIT_JAVA);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        Path copy = dir.resolve("dhcpcluster.service");
        Files.writeString(copy, unit.replace("ExecStart=" + UNIT_JAVA + " ", "ExecStart=" + java + " "));
        return copy;
    }

    /** Runs systemd-analyze verify; returns its output lines, after checking it exited 0. */
    private static List<String> verify(Path unit) throws Exception {
        String analyze = systemdAnalyze();
        Process process = new ProcessBuilder(analyze, "verify", "--man=no", unit.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "systemd-analyze verify did not finish");
        assertEquals(0, process.exitValue(), output);
        return output.lines().toList();
    }

    private static String systemdAnalyze() {
        Optional<Path> found = Tools.find("systemd-analyze");
        if (found.isPresent()) {
            return found.get().toString();
        }
        return Prerequisites.unmetAnnounced("SYSTEMD UNIT TEST", "systemd-analyze is not installed (Debian package "
                + "systemd), so the unit in packaging/ was not verified", "systemd unit coverage");
    }
}
