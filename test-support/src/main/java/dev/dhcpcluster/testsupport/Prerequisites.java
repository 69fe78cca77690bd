package dev.dhcpcluster.testsupport;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The project's one rule for a test that needs something of the machine it runs on (root, network
 * namespaces, a program, a package's files): under CI ({@code CI=true}) a missing prerequisite is
 * a failure, since CI must run every test; elsewhere the test is skipped, and a banner on the
 * process's real stderr (past any output capture) says what was missing and which coverage did
 * not run, so that a green build on a developer's machine cannot hide it.
 */
public final class Prerequisites {

    /** Directories searched for programs besides {@code PATH}: root's tools live in the sbin ones. */
    private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    private Prerequisites() {
    }

    /** True when the build runs under CI ({@code CI=true}), where nothing may be skipped. */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** True if the process runs as root (effective uid 0), read from /proc: the JDK has no API for it. */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    String[] fields = line.substring(4).strip().split("\\s+");
                    return fields.length > 1 && fields[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The executable {@code name} on {@code PATH} or in the system's bin and sbin directories. */
    public static Optional<Path> findProgram(String name) {
        for (String directory : searchPath()) {
            Path candidate = Path.of(directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** The directories {@link #findProgram} searches, in order. */
    public static List<String> searchPath() {
        Set<String> directories = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    directories.add(entry);
                }
            }
        }
        directories.addAll(SYSTEM_DIRECTORIES);
        return new ArrayList<>(directories);
    }

    /**
     * The test cannot run, for {@code reason}: fails it under CI, else skips it. The caller has
     * announced the skip ({@link #announceSkip}) where it wants one banner for many tests.
     *
     * @param skipped what coverage a skip loses, for the skip's message ({@code end-to-end coverage})
     * @return never: it always throws; typed so that a method that returns what it requires can
     *     {@code return Prerequisites.unmet(...)}
     */
    public static <T> T unmet(String reason, String skipped) {
        return unmet(reason, skipped, underCi());
    }

    /** {@link #unmet}, told whether the build runs under CI. */
    static <T> T unmet(String reason, String skipped, boolean underCi) {
        if (underCi) {
            throw new AssertionFailedError(reason + " (CI=true: a missing prerequisite is a failure)");
        }
        throw new TestAbortedException(reason + " (" + skipped + " skipped; see .ci/run for what is needed)");
    }

    /**
     * {@link #unmet}, after a banner for this one test: for a prerequisite found missing by the
     * test itself rather than by an extension before its class.
     *
     * @param title what is skipped, in capitals ({@code KEA IMPORT TESTS})
     * @return never, as {@link #unmet}
     */
    public static <T> T unmetAnnounced(String title, String reason, String skipped) {
        if (!underCi()) {
            announceSkip(title, reason, List.of());
        }
        return unmet(reason, skipped);
    }

    /**
     * Writes a banner saying that tests were skipped, to {@code System.err} and to the process's
     * real stderr, which the build does not capture into a report file where nobody would see it.
     *
     * @param title what is skipped, in capitals ({@code END-TO-END TESTS})
     * @param reason what is missing
     * @param advice lines saying what the skip lost and how to get the prerequisites
     */
    public static void announceSkip(String title, String reason, List<String> advice) {
        String bar = "!".repeat(78);
        List<String> lines = new ArrayList<>(List.of("", bar, "!! " + title + " SKIPPED: " + reason));
        advice.forEach(line -> lines.add("!! " + line));
        lines.add(bar);
        lines.add("");
        String banner = String.join(System.lineSeparator(), lines);
        System.err.println(banner);
        @SuppressWarnings("resource") // closing it would close the process's stderr
        PrintStream realStderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        realStderr.println(banner);
    }
}
