package dev.dhcpcluster.bootstrap.config.kea;

import dev.dhcpcluster.testsupport.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the tests find the Kea files Debian ships: the examples of the kea-doc package, and the
 * configuration the kea-dhcp4-server package installs. .ci/run extracts that package without
 * installing it (so that no Kea server runs on the CI machine) and names the file in
 * {@code DHCPCLUSTER_KEA_DHCP4_CONF}; without it, the installed {@code /etc/kea/kea-dhcp4.conf}
 * is used.
 *
 * <p>A missing file skips the test with a banner on the real stderr, or fails it under CI
 * ({@code CI=true}), as the end-to-end tests' prerequisite check does.
 */
final class KeaPackageFiles {

    /** The DHCPv4 examples of Debian's kea-doc package. */
    static final Path EXAMPLES = Path.of("/usr/share/doc/kea/examples/kea4");
    /** Names the extracted kea-dhcp4-server configuration. */
    static final String CONF_VARIABLE = "DHCPCLUSTER_KEA_DHCP4_CONF";

    private KeaPackageFiles() {
    }

    /** The kea-doc examples directory, or a skip (a failure under CI). */
    static Path examples() {
        return require(EXAMPLES, "the kea-doc package's examples", "install the package kea-doc");
    }

    /** The kea-dhcp4-server package's configuration file, or a skip (a failure under CI). */
    static Path debianConfig() {
        Path file = Optional.ofNullable(System.getenv(CONF_VARIABLE)).filter(value -> !value.isBlank())
                .map(Path::of).orElse(Path.of("/etc/kea/kea-dhcp4.conf"));
        return require(file, "the kea-dhcp4-server package's configuration", "set " + CONF_VARIABLE
                + " to the kea-dhcp4.conf of the unpacked package, or install it with its service kept from starting");
    }

    private static Path require(Path path, String what, String remedy) {
        if (Files.exists(path)) {
            return path;
        }
        String reason = what + " is missing: " + path + " does not exist (" + remedy + ")";
        return Prerequisites.unmetAnnounced("KEA IMPORT TESTS", reason, "import-kea coverage");
    }

}
