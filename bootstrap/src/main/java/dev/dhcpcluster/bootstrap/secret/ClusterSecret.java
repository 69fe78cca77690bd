package dev.dhcpcluster.bootstrap.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The secret every member of a cluster holds, with which peers prove to each other that they
 * belong: random bytes kept in a file as one line of base64, readable by the node's user only.
 */
public final class ClusterSecret {

    /** Bytes in a secret that {@link #generate} writes: 256 bits. */
    public static final int GENERATED_BYTES = 32;
    /** The fewest bytes accepted: 128 bits. */
    public static final int MIN_BYTES = 16;

    private ClusterSecret() {
    }

    /**
     * Writes a new secret of {@value #GENERATED_BYTES} random bytes to {@code file}, as one line of
     * base64, in a file of mode 0600.
     *
     * @param overwrite replace an existing file; without it an existing file is an error, since
     *     replacing a secret cuts the node off from every peer that holds the old one
     * @throws SecretException naming the file if it exists (without {@code overwrite}) or cannot be written
     */
    public static void generate(Path file, boolean overwrite) throws SecretException {
        byte[] secret = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(secret);
        String line = Base64.getEncoder().encodeToString(secret) + "\n";
        try {
            if (overwrite) {
                PrivateFiles.replace(file, line);
            } else if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new SecretException(file + ": exists already; replacing the secret cuts this node off from every "
                        + "peer that holds the old one (--force replaces it)", null);
            } else {
                PrivateFiles.create(file, line);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new SecretException(file + ": exists already (--force replaces it)", e);
        } catch (IOException e) {
            throw new SecretException(file + ": cannot write the cluster secret: " + describe(e), e);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * The secret in {@code file}: its first line, base64, at least {@value #MIN_BYTES} bytes.
     *
     * @throws SecretException naming the file if it is missing, unreadable, open to group or
     *     others, not base64, or too short
     */
    public static byte[] read(Path file) throws SecretException {
        String text;
        try {
            Optional<String> open = PrivateFiles.openness(file);
            if (open.isPresent()) {
                throw new SecretException(file + ": the cluster secret file is " + open.get() + "; "
                        + PrivateFiles.advice(file), null);
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SecretException(file + ": no cluster secret file (dhcpcluster cluster-key " + file
                    + " writes one; copy it to every member)", e);
        } catch (IOException e) {
            throw new SecretException(file + ": cannot read the cluster secret: " + describe(e), e);
        }
        String line = text.strip();
        if (line.isEmpty() || line.lines().count() > 1) {
            throw new SecretException(file + ": the cluster secret is not one line of base64", null);
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(line);
        } catch (IllegalArgumentException e) {
            throw new SecretException(file + ": the cluster secret is not base64", e);
        }
        if (secret.length < MIN_BYTES) {
            int length = secret.length;
            Arrays.fill(secret, (byte) 0);
            throw new SecretException(file + ": the cluster secret is " + length + " byte" + (length == 1 ? "" : "s")
                    + ", fewer than " + MIN_BYTES + " (dhcpcluster cluster-key --force " + file + " writes a new one)", null);
        }
        return secret;
    }

    static String describe(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
