package dev.dhcpcluster.bootstrap.e2e;

import dev.dhcpcluster.testsupport.Prerequisites;
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

/**
 * The one place that decides whether end-to-end tests can run here.
 *
 * <p>They need root, the ability to create network namespaces, {@code ip}, {@code kill}, and the
 * client programs a test names in {@link EndToEnd#requires()}. A missing one is handled by the
 * project's rule ({@link Prerequisites}): a failure under CI, else a skip announced by a banner.
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
        if (!reason.isEmpty() && !Prerequisites.underCi()) {
            Prerequisites.announceSkip("END-TO-END TESTS", reason, List.of(
                    "Network-namespace coverage with real DHCP clients did NOT run on this machine.",
                    "Run as root with iproute2, isc-dhcp-client, udhcpc, dhcpcd-base, kea-admin and tcpdump installed "
                            + "(see .ci/run)."));
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
        Prerequisites.unmet(reason, "end-to-end coverage");
    }

    /** Returns a description of every missing prerequisite; empty when the tests can run. */
    static List<String> missingPrerequisites(Set<String> programs) {
        List<String> missing = new ArrayList<>();
        if (!Prerequisites.isRoot()) {
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
}
