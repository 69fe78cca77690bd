package dev.dhcpcluster.adapter.tcppeer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the JSSE {@link SSLContext} of peer connections from the {@code tls} settings: the node's
 * key and certificate from a PKCS#12 keystore, the certificates it trusts from a PKCS#12
 * truststore, each password read from its own file, which only the node's user may read (a
 * password file open to group or others is refused, as ssh refuses such a key).
 *
 * @param path the JSON path of the {@code tls} section, for messages ({@code cluster.tls})
 * @param keystore the node's key and certificate
 * @param keystorePasswordFile the file whose first line is the keystore's password
 * @param truststore the certificates the node trusts
 * @param truststorePasswordFile the file whose first line is the truststore's password
 */
record TlsStores(String path, Path keystore, Path keystorePasswordFile, Path truststore, Path truststorePasswordFile) {

    /** The TLS protocol of peer connections: 1.3 only, both ends being dhcpcluster. */
    static final String PROTOCOL = "TLSv1.3";

    private static final Set<PosixFilePermission> OWNER_ANY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    TlsStores {
        Objects.requireNonNull(path, "path");
        for (Path file : new Path[] {keystore, keystorePasswordFile, truststore, truststorePasswordFile}) {
            Objects.requireNonNull(file, "file");
            if (!file.isAbsolute()) {
                throw new IllegalArgumentException("a TLS file must be resolved to an absolute path, not " + file);
            }
        }
    }

    /** What is wrong with one of the files, and the JSON path of the field that names it. */
    static final class Problem extends Exception {
        private final String field;

        Problem(String field, String message, Throwable cause) {
            super(message, cause);
            this.field = field;
        }

        /** The field's JSON path: {@code cluster.tls.keystore}. */
        String field() {
            return field;
        }

        /** The field and the message, as one line: {@code cluster.tls.keystore: FILE: does not exist}. */
        String describe() {
            return field + ": " + getMessage();
        }
    }

    /**
     * The context.
     *
     * @throws Problem naming the field whose file is missing, unreadable, open to others (a password
     *     file), not PKCS#12, or whose password is wrong
     */
    SSLContext build() throws Problem {
        char[] keyPassword = password(keystorePasswordFile, path + ".keystore-password-file");
        char[] trustPassword = new char[0];
        try {
            trustPassword = password(truststorePasswordFile, path + ".truststore-password-file");
            KeyStore keys = load(keystore, keyPassword, path + ".keystore");
            KeyStore trusted = load(truststore, trustPassword, path + ".truststore");
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            try {
                keyManagers.init(keys, keyPassword);
            } catch (GeneralSecurityException e) {
                throw new Problem(path + ".keystore", keystore + ": its key cannot be read with the keystore's password: "
                        + describe(e), e);
            }
            if (!hasKey(keys)) {
                throw new Problem(path + ".keystore", keystore + ": holds no private key with its certificate", null);
            }
            if (trusted.size() == 0) {
                throw new Problem(path + ".truststore", truststore + ": holds no certificate", null);
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new Problem(path, "cannot build the TLS context: " + describe(e), e);
        } finally {
            Arrays.fill(keyPassword, '\0');
            Arrays.fill(trustPassword, '\0');
        }
    }

    private static boolean hasKey(KeyStore keys) throws GeneralSecurityException {
        for (String alias : Collections.list(keys.aliases())) {
            if (keys.isKeyEntry(alias)) {
                return true;
            }
        }
        return false;
    }

    private static KeyStore load(Path file, char[] password, String field) throws Problem {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (NoSuchFileException e) {
            throw new Problem(field, file + ": does not exist", e);
        } catch (IOException e) {
            // KeyStore.load reports a wrong password and a file that is not PKCS#12 as IOException.
            throw new Problem(field, file + ": " + reason(e), e);
        } catch (GeneralSecurityException e) {
            throw new Problem(field, file + ": not a PKCS#12 store: " + describe(e), e);
        }
    }

    private static String reason(IOException e) {
        if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
            return "the password is wrong (" + e.getMessage() + ")";
        }
        return "cannot be read as a PKCS#12 store: " + describe(e);
    }

    private static char[] password(Path file, String field) throws Problem {
        String text;
        try {
            Set<PosixFilePermission> permissions = permissions(file);
            Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
            open.addAll(permissions);
            open.removeAll(OWNER_ANY);
            if (!open.isEmpty()) {
                throw new Problem(field, file + ": is open to group or others (mode "
                        + PosixFilePermissions.toString(permissions) + "); make it readable by the node's user only "
                        + "(chmod 600 " + file + ")", null);
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new Problem(field, file + ": does not exist", e);
        } catch (IOException e) {
            throw new Problem(field, file + ": cannot be read: " + describe(e), e);
        }
        String first = text.lines().findFirst().orElse("");
        if (first.isEmpty()) {
            throw new Problem(field, file + ": is empty; its first line is the password", null);
        }
        return first.toCharArray();
    }

    /** The file's permissions, or none where the file system has no POSIX permissions to check. */
    private static Set<PosixFilePermission> permissions(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return Set.of();
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
