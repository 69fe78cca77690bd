package dev.dhcpcluster.bootstrap.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the external programs the end-to-end tests drive ({@code ip}, {@code dhclient}, ...).
 *
 * <p>Besides {@code PATH} it looks in the sbin directories, because a non-root user's {@code PATH}
 * usually lacks them while the network tools live there. Commands are then run by absolute path, so
 * a script run by a DHCP client with a bare environment finds them too.
 */
public final class Tools {

    private static final List<String> EXTRA_DIRECTORIES =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private Tools() {
    }

    /** Returns the absolute path of the executable {@code name}, if one is installed. */
    public static Optional<Path> find(String name) {
        for (String directory : searchPath()) {
            Path candidate = Path.of(directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** Returns the absolute path of {@code name} as a string, or fails if it is not installed. */
    public static String require(String name) {
        return find(name)
                .map(Path::toString)
                .orElseThrow(() -> new IllegalStateException(
                        "required program not installed: " + name + " (searched " + searchPath() + ")"));
    }

    private static List<String> searchPath() {
        Set<String> directories = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    directories.add(entry);
                }
            }
        }
        directories.addAll(EXTRA_DIRECTORIES);
        return new ArrayList<>(directories);
    }
}
