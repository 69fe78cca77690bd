package dev.dhcpcluster.bootstrap.admin;

import dev.dhcpcluster.bootstrap.secret.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The bearer token that requests changing a node's state must present. It lives in a file that
 * only the node's user may read: a node whose file is missing creates one with a random token
 * (mode 0600); a file that group or others may read or write is refused, as ssh refuses such a key.
 */
public final class AdminToken {

    /** Random bytes in a created token: 256 bits, written as 64 hex digits. */
    private static final int CREATED_BYTES = 32;

    private final byte[] value;

    private AdminToken(String value) {
        this.value = value.getBytes(StandardCharsets.UTF_8);
    }

    /** A token with this value (for tests and for the client, which sends it). */
    public static AdminToken of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a token is not empty");
        }
        return new AdminToken(value);
    }

    /**
     * The token in {@code file}, creating the file with a new random token if it does not exist.
     *
     * @return the token, and whether the file was created
     * @throws AdminTokenException naming the file if it cannot be read or created, is empty, or may
     *     be read or written by group or others
     */
    public static Loaded loadOrCreate(Path file) throws AdminTokenException {
        try {
            return new Loaded(read(file), false);
        } catch (NoSuchFileException missing) {
            return new Loaded(create(file), true);
        } catch (IOException e) {
            throw new AdminTokenException(file + ": cannot read the admin token: " + describe(e), e);
        }
    }

    /**
     * The token in an existing {@code file} (the client's side).
     *
     * @throws AdminTokenException naming the file if it is missing, unreadable or empty
     */
    public static AdminToken read(Path file, boolean checkPermissions) throws AdminTokenException {
        try {
            if (checkPermissions) {
                return read(file);
            }
            return parse(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new AdminTokenException(file + ": no admin token file (the node creates it when it starts)", e);
        } catch (IOException e) {
            throw new AdminTokenException(file + ": cannot read the admin token: " + describe(e), e);
        }
    }

    private static AdminToken read(Path file) throws IOException, AdminTokenException {
        Optional<String> open = PrivateFiles.openness(file);
        if (open.isPresent()) {
            throw new AdminTokenException(file + ": the admin token file is " + open.get() + "; "
                    + PrivateFiles.advice(file), null);
        }
        return parse(file, Files.readString(file, StandardCharsets.UTF_8));
    }

    private static AdminToken parse(Path file, String text) throws AdminTokenException {
        String token = text.strip();
        if (token.isEmpty()) {
            throw new AdminTokenException(file + ": the admin token file is empty", null);
        }
        if (token.lines().count() > 1 || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new AdminTokenException(file + ": the admin token is not one word of printable ASCII", null);
        }
        return new AdminToken(token);
    }

    private static AdminToken create(Path file) throws AdminTokenException {
        byte[] random = new byte[CREATED_BYTES];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        try {
            PrivateFiles.create(file, token + "\n");
        } catch (FileAlreadyExistsException e) {
            throw new AdminTokenException(file + ": the admin token file appeared while it was being created", e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new AdminTokenException(file + ": cannot create the admin token file: " + describe(e), e);
        }
        return new AdminToken(token);
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** True if {@code presented} is this token; takes the same time wherever the two differ. */
    public boolean matches(String presented) {
        return MessageDigest.isEqual(value, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The value, to send in an {@code Authorization: Bearer} header. */
    public String value() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** Never the value itself, so that a token does not end up in a log. */
    @Override
    public String toString() {
        return "AdminToken[hidden]";
    }

    /** A token as the node loaded it. */
    public record Loaded(AdminToken token, boolean created) {
    }
}
