package dev.dhcpcluster.bootstrap.e2e;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The one place that decides whether end-to-end tests can run here.
 *
 * <p>They need root, the ability to create network namespaces, {@code ip}, {@code kill}, and the
 * client programs a test names in {@link EndToEnd#requires()}. Under CI ({@code CI=true}) a missing
 * prerequisite is a failure: CI must exercise the real clients. Elsewhere the test class is
 * skipped, and a banner on stderr (written past any output capture) says which prerequisite is
 * missing and that end-to-end coverage was skipped, so a green build cannot hide it.
 */
public final class PrerequisiteCheck implements BeforeAllCallback, BeforeEachCallback {

    private static final List<String> ALWAYS_REQUIRED = List.of("ip", "kill");
    private static final ExtensionContext.Namespace STORE =
            ExtensionContext.Namespace.create(PrerequisiteCheck.class);

    /** Checks once per class, and announces a skip once, before any test of the class runs. */
    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        EndToEnd annotation = testClass.getAnnotation(EndToEnd.class);
        Set<String> programs = new LinkedHashSet<>(ALWAYS_REQUIRED);
        if (annotation != null) {
            programs.addAll(List.of(annotation.requires()));
        }
        List<String> missing = missingPrerequisites(programs);
        String reason = missing.isEmpty() ? ""
                : testClass.getSimpleName() + " cannot run: " + String.join("; ", missing);
        context.getStore(STORE).put(testClass, reason);
        if (!reason.isEmpty() && !runningUnderCi()) {
            announceSkip(reason);
        }
    }

    /**
     * Fails or skips each test rather than the class as a whole, so the build's counts show every
     * test that did not run.
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        String reason = context.getStore(STORE).get(context.getRequiredTestClass(), String.class);
        if (reason == null || reason.isEmpty()) {
            return;
        }
        if (runningUnderCi()) {
            throw new AssertionFailedError(reason + " (CI=true: a missing prerequisite is a failure)");
        }
        throw new TestAbortedException(reason + " (end-to-end coverage skipped; see .ci/run for what is needed)");
    }

    /** Returns a description of every missing prerequisite; empty when the tests can run. */
    static List<String> missingPrerequisites(Set<String> programs) {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("not running as root (effective uid is not 0)");
        }
        for (String program : programs) {
            if (Tools.find(program).isEmpty()) {
                missing.add("program '" + program + "' is not installed");
            }
        }
        if (missing.isEmpty()) {
            namespaceProbeFailure().ifPresent(missing::add);
        }
        return missing;
    }

    static boolean runningUnderCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
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

    /** Root inside a restricted container may still be refused namespaces; try one. */
    private static Optional<String> namespaceProbeFailure() {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        String probe = NetworkLab.NAMESPACE_PREFIX + "-" + ProcessHandle.current().pid() + "-probe-"
                + HexFormat.of().formatHex(random);
        String ip = Tools.require("ip");
        Command.Result added = Command.run(ip, "netns", "add", probe);
        if (!added.succeeded()) {
            return Optional.of("cannot create a network namespace: " + added.output().strip());
        }
        Command.Result deleted = Command.run(ip, "netns", "delete", probe);
        if (!deleted.succeeded()) {
            return Optional.of("cannot delete network namespace " + probe + ": " + deleted.output().strip());
        }
        return Optional.empty();
    }

    /**
     * Writes to the process's real stderr, bypassing System.err, which the build may capture into a
     * report file where nobody would see the notice.
     */
    @SuppressWarnings("resource") // closing it would close the process's stderr
    private static void announceSkip(String reason) {
        String bar = "!".repeat(78);
        String banner = String.join(System.lineSeparator(), "", bar,
                "!! END-TO-END TESTS SKIPPED: " + reason,
                "!! Network-namespace coverage with real DHCP clients did NOT run on this machine.",
                "!! Run as root with iproute2, isc-dhcp-client, udhcpc, dhcpcd-base, kea-admin and tcpdump installed "
                        + "(see .ci/run).",
                bar, "");
        System.err.println(banner);
        PrintStream realStderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        realStderr.println(banner);
    }
}
