package dev.dhcpcluster.adapter.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A cluster member's durable note that its lease store was lost: set before the member takes part
 * in anything once it finds its store gone, and removed only once it has caught up from its peers
 * and every address it read is settled. A member that crashes in between finds the note when it
 * starts again and catches up again, instead of trusting a store that holds only part of what it
 * once acknowledged.
 *
 * <p>The note is a small file in the data directory; its text says when and why it was set, for
 * the operator who finds it.
 */
public final class LostStoreMark {

    private final DurableTextFile file;

    /** The note at {@code file}, whose directory must exist. */
    public LostStoreMark(Path file) {
        this.file = new DurableTextFile(file);
    }

    /**
     * True if the note is there.
     *
     * @throws IOException if the file cannot be read
     */
    public boolean present() throws IOException {
        return Files.exists(file.path());
    }

    /**
     * Sets the note, durably, saying {@code why}.
     *
     * @throws IOException if it could not be made durable
     */
    public void set(String why) throws IOException {
        file.replace(why.replaceAll("[^\\x20-\\x7e]", "?") + "\n");
    }

    /** What the note says, or empty if it is not there. */
    public Optional<String> text() throws IOException {
        return file.read().map(String::strip);
    }

    /**
     * Removes the note, durably.
     *
     * @throws IOException if it could not be removed or the removal made durable
     */
    public void clear() throws IOException {
        if (Files.deleteIfExists(file.path())) {
            try (FileChannel directory = FileChannel.open(file.path().getParent(), StandardOpenOption.READ)) {
                directory.force(true);
            }
        }
    }

    @Override
    public String toString() {
        return file.path().toString();
    }
}
