package dev.dhcpcluster.adapter.pcap;

import dev.dhcpcluster.testsupport.Prerequisites;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Decides whether tests that capture frames (and build network namespaces) can run here: root,
 * libpcap and the programs a test names. A missing one is handled by the project's rule
 * ({@link Prerequisites}): a failure under CI, else a skip announced by a banner.
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
        if (!reason.isEmpty() && !Prerequisites.underCi()) {
            Prerequisites.announceSkip("RAW-FRAME TESTS", reason, List.of(
                    "The pcap transport's capture and namespace coverage did NOT run on this machine.",
                    "Run as root with libpcap0.8, iproute2 and udhcpc installed (see .ci/run)."));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        String reason = context.getStore(STORE).get(context.getRequiredTestClass(), String.class);
        if (reason == null || reason.isEmpty()) {
            return;
        }
        Prerequisites.unmet(reason, "raw-frame coverage");
    }

    private static List<String> missing(List<String> programs) {
        List<String> missing = new ArrayList<>();
        if (!Prerequisites.isRoot()) {
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

}
