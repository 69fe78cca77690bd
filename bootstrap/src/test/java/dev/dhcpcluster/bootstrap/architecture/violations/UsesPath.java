package dev.dhcpcluster.bootstrap.architecture.violations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a file through NIO itself. */
public final class UsesPath {

    byte[] read(Path path) throws IOException {
        return Files.readAllBytes(path);
    }
}
