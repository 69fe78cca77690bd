package dev.dhcpcluster.adapter.pcap;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Decides whether tests that capture frames (and build network namespaces) can run here, by the
 * project's rule: under CI ({@code CI=true}) a missing prerequisite is a failure; elsewhere each
 * test is skipped, and a banner on the real stderr says what was missing, so a green build cannot
 * hide the lost coverage.
 */
final class RawNetworkPrerequisites implements BeforeAllCallback, BeforeEachCallback {

    /** Marks a test class that needs root and libpcap, and optionally programs on the PATH. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @ExtendWith(RawNetworkPrerequisites.class)
    @interface NeedsRawNetwork {
        /** Programs the tests run, besides capturing. */
        String[] programs() default {};
    }

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(RawNetworkPrerequisites.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        NeedsRawNetwork annotation = testClass.getAnnotation(NeedsRawNetwork.class);
        List<String> missing = missing(annotation == null ? List.of() : List.of(annotation.programs()));
        String reason = missing.isEmpty() ? "" : testClass.getSimpleName() + " cannot run: " + String.join("; ", missing);
        context.getStore(STORE).put(testClass, reason);
        if (!reason.isEmpty() && !runningUnderCi()) {
            announceSkip(reason);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        String reason = context.getStore(STORE).get(context.getRequiredTestClass(), String.class);
        if (reason == null || reason.isEmpty()) {
            return;
        }
        if (runningUnderCi()) {
            throw new AssertionFailedError(reason + " (CI=true: a missing prerequisite is a failure)");
        }
        throw new TestAbortedException(reason + " (raw-frame coverage skipped; see .ci/run for what is needed)");
    }

    private static List<String> missing(List<String> programs) {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("not running as root (effective uid is not 0)");
        }
        if (!libpcapPresent()) {
            missing.add("libpcap is not installed (package libpcap0.8)");
        }
        for (String program : programs) {
            if (Lab.findProgram(program).isEmpty()) {
                missing.add("program '" + program + "' is not installed");
            }
        }
        return missing;
    }

    static boolean runningUnderCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static boolean libpcapPresent() {
        for (String directory : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64",
                "/usr/lib", "/lib/x86_64-linux-gnu", "/lib64", "/lib")) {
            try (var files = Files.list(Path.of(directory))) {
                if (files.anyMatch(file -> file.getFileName().toString().startsWith("libpcap.so"))) {
                    return true;
                }
            } catch (IOException e) {
                // no such directory here: try the next
            }
        }
        return false;
    }

    /** Reads the effective uid from /proc; the JDK has no portable API for it. */
    private static boolean isRoot() {
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

    @SuppressWarnings("resource") // closing it would close the process's stderr
    private static void announceSkip(String reason) {
        String bar = "!".repeat(78);
        String banner = String.join(System.lineSeparator(), "", bar,
                "!! RAW-FRAME TESTS SKIPPED: " + reason,
                "!! The pcap transport's capture and namespace coverage did NOT run on this machine.",
                "!! Run as root with libpcap0.8, iproute2 and udhcpc installed (see .ci/run).",
                bar, "");
        System.err.println(banner);
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8).println(banner);
    }
}
