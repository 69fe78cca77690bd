package dev.dhcpcluster.bootstrap.e2e;

import dev.dhcpcluster.testsupport.Prerequisites;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the external programs the end-to-end tests drive ({@code ip}, {@code dhclient}, ...).
 *
 * <p>Besides {@code PATH} it looks in the sbin directories, because a non-root user's {@code PATH}
 * usually lacks them while the network tools live there. Commands are then run by absolute path, so
 * a script run by a DHCP client with a bare environment finds them too.
 */
public final class Tools {

    private Tools() {
    }

    /** Returns the absolute path of the executable {@code name}, if one is installed. */
    public static Optional<Path> find(String name) {
        return Prerequisites.findProgram(name);
    }

    /** Returns the absolute path of {@code name} as a string, or fails if it is not installed. */
    public static String require(String name) {
        return find(name)
                .map(Path::toString)
                .orElseThrow(() -> new IllegalStateException(
                        "required program not installed: " + name + " (searched " + Prerequisites.searchPath() + ")"));
    }
}
