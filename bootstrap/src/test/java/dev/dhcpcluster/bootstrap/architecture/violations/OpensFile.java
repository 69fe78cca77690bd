package dev.dhcpcluster.bootstrap.architecture.violations;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a file itself. */
public final class OpensFile {

    InputStream open(String name) throws IOException {
        return new FileInputStream(name);
    }
}
