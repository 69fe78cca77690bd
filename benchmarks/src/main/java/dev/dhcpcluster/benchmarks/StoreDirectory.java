package dev.dhcpcluster.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A fresh directory for a benchmark's database on a real disk: a store benchmark on a file system
 * in memory would measure no fsync at all. It is under {@code java.io.tmpdir}, unless that is in
 * memory ({@code tmpfs}, {@code ramfs}), then under {@code target/} of the working directory; the
 * system property {@code dhcpcluster.benchmark.dir} chooses another parent.
 */
final class StoreDirectory implements AutoCloseable {

    private static final Set<String> IN_MEMORY = Set.of("tmpfs", "ramfs");

    private final Path path;
    private final String fileSystem;

    private StoreDirectory(Path path, String fileSystem) {
        this.path = path;
        this.fileSystem = fileSystem;
    }

    static StoreDirectory create(String prefix) {
        try {
            Path parent = parent();
            Files.createDirectories(parent);
            Path path = Files.createTempDirectory(parent, prefix);
            FileStore store = Files.getFileStore(path);
            return new StoreDirectory(path, store.type() + " (" + store.name() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path parent() throws IOException {
        String chosen = System.getProperty("dhcpcluster.benchmark.dir");
        if (chosen != null) {
            return Path.of(chosen).toAbsolutePath();
        }
        Path temporary = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        String type = Files.getFileStore(temporary).type().toLowerCase(Locale.ROOT);
        return IN_MEMORY.contains(type) ? Path.of("target", "store-benchmarks").toAbsolutePath() : temporary;
    }

    Path path() {
        return path;
    }

    /** The file system type and device, for the record of a run. */
    String fileSystem() {
        return fileSystem;
    }

    /** Deletes the directory and everything in it. */
    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
