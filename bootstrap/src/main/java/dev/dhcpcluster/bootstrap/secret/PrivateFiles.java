package dev.dhcpcluster.bootstrap.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Files that only the node's user may read: the admin token, the cluster secret, the TLS password
 * files. A file that group or others may read or write is refused, as ssh refuses such a key, and
 * such files are created with mode 0600 from their first moment.
 */
public final class PrivateFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_ANY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private PrivateFiles() {
    }

    /**
     * Why {@code file} is not private: {@code "open to group or others (mode rw-r--r--)"}, or empty
     * if only its owner may use it, or if the file system has no POSIX permissions to check.
     *
     * @throws IOException if the file's permissions cannot be read (it does not exist, say)
     */
    public static Optional<String> openness(Path file) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return Optional.empty(); // not a POSIX file system: nothing to check
        }
        Set<PosixFilePermission> open = EnumSet.copyOf(permissions);
        open.removeAll(OWNER_ANY);
        if (open.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("open to group or others (mode " + PosixFilePermissions.toString(permissions) + ")");
    }

    /** The advice that goes with {@link #openness}: {@code make it readable by the node's user only (chmod 600 FILE)}. */
    public static String advice(Path file) {
        return "make it readable by the node's user only (chmod 600 " + file + ")";
    }

    /**
     * Creates {@code file} (and its directory) holding {@code text}, with mode 0600 from the start,
     * so that there is no moment when others could read it.
     *
     * @throws java.nio.file.FileAlreadyExistsException if it exists
     * @throws IOException if it cannot be created or written
     */
    public static void create(Path file, String text) throws IOException {
        createParent(file);
        try {
            Files.createFile(file, ownerOnly());
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /**
     * Replaces {@code file}, or creates it, with {@code text}: written to a new 0600 file beside it
     * and moved over it in one step, so that the file holds either the old text or the new, and
     * never a mode that others could read.
     *
     * @throws IOException if it cannot be written
     */
    public static void replace(Path file, String text) throws IOException {
        Path parent = createParent(file);
        Path temporary;
        try {
            temporary = Files.createTempFile(parent, ".new-", ".tmp", ownerOnly());
        } catch (UnsupportedOperationException e) {
            temporary = Files.createTempFile(parent, ".new-", ".tmp");
        }
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Path createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return parent;
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    }
}
