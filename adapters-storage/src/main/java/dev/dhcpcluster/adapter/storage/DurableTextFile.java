package dev.dhcpcluster.adapter.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A small ASCII text file that is replaced as a whole, atomically and durably: the home of the
 * cluster's state files ({@link FileVoteStore}, {@link FileAssignmentStore}), which must survive a
 * crash at any moment as either the old text or the new one.
 *
 * <p>A replacement writes a temporary file beside the real one ({@code NAME.tmp}), syncs it, renames
 * it over the real one and syncs the directory. A temporary file left by a crash is never read, and
 * the next replacement overwrites it.
 */
final class DurableTextFile {

    private final Path file;
    private final Path temporary;

    /** The file at {@code file}, whose directory must exist. */
    DurableTextFile(Path file) {
        this.file = file.toAbsolutePath();
        this.temporary = this.file.resolveSibling(this.file.getFileName() + ".tmp");
    }

    /** Where the file is. */
    Path path() {
        return file;
    }

    /**
     * The file's text, or empty if there is no file.
     *
     * @throws java.nio.charset.CharacterCodingException if it holds bytes that are not ASCII
     * @throws IOException if it cannot be read
     */
    Optional<String> read() throws IOException {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Replaces the file's text with {@code text}, returning once the new text is on stable storage.
     *
     * @throws IOException if it could not be made durable; the file then holds the old text
     */
    void replace(String text) throws IOException {
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // Makes the rename durable: without it a crash could bring the old directory entry back.
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    /** The CRC32C of {@code text}'s ASCII bytes, as eight lower-case hex digits: the files' checksum. */
    static String checksum(String text) {
        CRC32C crc = new CRC32C();
        crc.update(text.getBytes(StandardCharsets.US_ASCII));
        return String.format("%08x", crc.getValue());
    }
}
