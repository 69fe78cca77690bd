package dev.dhcpcluster.testkit.client;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Appends every {@link Ack} to a file, one line each ({@link Ack#toLine()}), and hands each line
 * to the operating system before the next ACK is handled, so that a line survives the client
 * being killed (not a crash of the machine: nothing is synced).
 *
 * <p>Called on the client's one thread. After a write fails it writes nothing more and reports
 * the failure through {@link #failure()}: a log with a gap must not pass for a complete one.
 */
public final class AckLog implements Consumer<Ack>, AutoCloseable {

    private final Path file;
    private final BufferedWriter writer;
    private IOException failure;

    private AckLog(Path file, BufferedWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    /**
     * Opens {@code file} for appending, creating it if missing.
     *
     * @throws IOException naming the file if it cannot be opened
     */
    public static AckLog open(Path file) throws IOException {
        try {
            return new AckLog(file, new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
                    StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new IOException("cannot open the ACK log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void accept(Ack ack) {
        if (failure != null) {
            return;
        }
        try {
            writer.write(ack.toLine());
            writer.write('\n');
            // One write per line: what the client saw is in the file the moment it saw it.
            writer.flush();
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Why writing stopped, if it did. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure).map(e -> "cannot write the ACK log " + file + ": " + e.getMessage());
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
