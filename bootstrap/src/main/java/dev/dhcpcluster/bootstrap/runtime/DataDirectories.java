package dev.dhcpcluster.bootstrap.runtime;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the directories a node keeps files in exist and proves them writable, before anything
 * opens a file there, so that a directory that cannot be used stops the node at start with the
 * field to change rather than failing the first lease write.
 */
final class DataDirectories {

    /** The node-file field that names the data directory. */
    static final String DATA_DIRECTORY = "node.data-directory";

    private DataDirectories() {
    }

    /**
     * Creates {@code directory} (and its parents) if missing, and checks that a file can be
     * created in it.
     *
     * @param field the node-file field that names the directory, for the message
     * @throws StartRefused if it cannot be created or written
     */
    static void prepare(Path directory, String field) throws StartRefused {
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException e) {
            throw new StartRefused(field + ": cannot create the directory " + directory + ": "
                    + reason(e, directory) + " exists and is not a directory", e);
        } catch (IOException e) {
            throw new StartRefused(field + ": cannot create the directory " + directory + ": " + reason(e, directory), e);
        }
        try {
            // Permissions alone do not tell (a read-only mount, an ACL): try it.
            Path probe = Files.createTempFile(directory, ".dhcpcluster-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new StartRefused(field + ": cannot write in the directory " + directory + ": " + reason(e, directory), e);
        }
    }

    /** The system's reason, naming the file it concerns unless that is the directory already named. */
    private static String reason(IOException e, Path directory) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException exists) {
            return exists.getFile() == null || Path.of(exists.getFile()).equals(directory) ? "it" : exists.getFile();
        }
        if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            String file = fileSystem.getFile();
            boolean named = file == null || Path.of(file).equals(directory);
            return (named ? "" : file + ": ") + fileSystem.getReason();
        }
        return e.toString();
    }
}
