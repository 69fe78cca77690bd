package dev.dhcpcluster.bootstrap.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two jars the package phase builds, as a Maven user and an operator get them: the library
 * (bootstrap's main artifact) holds dhcpcluster's own classes and no Logback configuration that
 * would take over an application's logging; the runnable jar (classifier {@code cli}, copied to
 * {@code target/dhcpcluster.jar}) holds everything and runs. Failsafe passes both paths.
 */
class ArtifactsIT {

    private static Path jar(String property) {
        String path = System.getProperty(property);
        assertNotNull(path, "the build passes -D" + property);
        Path jar = Path.of(path);
        assertTrue(Files.isRegularFile(jar), "the package phase builds " + jar.toAbsolutePath());
        return jar;
    }

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().filter(entry -> !entry.isDirectory()).map(ZipEntry::getName).toList();
        }
    }

    @Test
    @DisplayName("the library jar holds only dev/dhcpcluster classes, no logback.xml and no other library")
    void libraryHoldsOnlyOwnClasses() throws IOException {
        List<String> entries = entries(jar("dhcpcluster.library.jar"));

        List<String> classes = entries.stream().filter(name -> name.endsWith(".class")).toList();
        assertTrue(classes.contains("dev/dhcpcluster/bootstrap/Main.class"), "the library has the node's classes");
        assertEquals(List.of(), classes.stream().filter(name -> !name.startsWith("dev/dhcpcluster/")).toList(),
                "classes of other libraries in the library jar");
        assertEquals(List.of(), entries.stream()
                .filter(name -> name.equals("logback.xml") || name.equals("logback-test.xml")).toList(),
                "a Logback configuration that would win over the application's");
        assertTrue(entries.contains("dhcpcluster-logback.xml"), "the command's own configuration, under its own name");
    }

    @Test
    @DisplayName("target/dhcpcluster.jar is the cli artifact: every library inside, and java -jar --version runs")
    void cliJarRuns(@TempDir Path dir) throws Exception {
        Path cli = jar("dhcpcluster.cli.jar");
        Path attached = jar("dhcpcluster.cli.artifact");
        assertArrayEquals(Files.readAllBytes(attached), Files.readAllBytes(cli), cli + " is a copy of " + attached);
        List<String> entries = entries(cli);
        assertTrue(entries.contains("ch/qos/logback/classic/Logger.class"), "the command's logging backend is inside");
        assertTrue(entries.contains("picocli/CommandLine.class"), "the libraries are inside");
        assertFalse(entries.contains("logback.xml"), "only dhcpcluster-logback.xml configures the command");
        assertTrue(entries.contains("dev/dhcpcluster/testkit/client/ClientSession.class"), "the client command's client");
        assertEquals(List.of(), entries.stream().filter(name -> name.startsWith("org/junit/")
                || name.startsWith("dev/dhcpcluster/testkit/contract/")).toList(), "test-only classes in the command");

        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process version = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", cli.toString(), "--version").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(version.waitFor(60, TimeUnit.SECONDS), "--version did not end");
        assertEquals(0, version.exitValue(), Files.readString(err));
        assertEquals("dhcpcluster " + System.getProperty("dhcpcluster.version"), Files.readString(out).strip());
        assertEquals("", Files.readString(err), "nothing on standard error (no Logback status either)");
    }
}
