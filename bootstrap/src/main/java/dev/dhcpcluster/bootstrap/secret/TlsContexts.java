package dev.dhcpcluster.bootstrap.secret;

import dev.dhcpcluster.bootstrap.config.ClusterSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the JSSE {@link SSLContext} of peer connections from {@code cluster.tls}: the node's key
 * and certificate from a PKCS#12 keystore, the certificates it trusts from a PKCS#12 truststore,
 * each password read from its own file (private, as the secret is).
 */
public final class TlsContexts {

    /** The TLS protocol of peer connections: 1.3 only, both ends being dhcpcluster. */
    public static final String PROTOCOL = "TLSv1.3";

    private TlsContexts() {
    }

    /**
     * The context for {@code tls}.
     *
     * @throws SecretException naming the field ({@code cluster.tls.keystore: FILE: ...}) whose file
     *     is missing, unreadable, open to others (a password file), not PKCS#12, or whose password is wrong
     */
    public static SSLContext build(ClusterSettings.TlsSettings tls) throws SecretException {
        char[] keyPassword = password(tls.keystorePasswordFile(), "cluster.tls.keystore-password-file");
        char[] trustPassword = password(tls.truststorePasswordFile(), "cluster.tls.truststore-password-file");
        try {
            KeyStore keys = load(tls.keystore(), keyPassword, "cluster.tls.keystore");
            KeyStore trusted = load(tls.truststore(), trustPassword, "cluster.tls.truststore");
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            try {
                keyManagers.init(keys, keyPassword);
            } catch (GeneralSecurityException e) {
                throw new SecretException("cluster.tls.keystore: " + tls.keystore() + ": its key cannot be read with "
                        + "the keystore's password: " + ClusterSecret.describe(e), e);
            }
            if (!hasKey(keys)) {
                throw new SecretException("cluster.tls.keystore: " + tls.keystore()
                        + ": holds no private key with its certificate", null);
            }
            if (trusted.size() == 0) {
                throw new SecretException("cluster.tls.truststore: " + tls.truststore() + ": holds no certificate", null);
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new SecretException("cluster.tls: cannot build the TLS context: " + ClusterSecret.describe(e), e);
        } finally {
            Arrays.fill(keyPassword, '\0');
            Arrays.fill(trustPassword, '\0');
        }
    }

    private static boolean hasKey(KeyStore keys) throws GeneralSecurityException {
        for (String alias : java.util.Collections.list(keys.aliases())) {
            if (keys.isKeyEntry(alias)) {
                return true;
            }
        }
        return false;
    }

    private static KeyStore load(Path file, char[] password, String field) throws SecretException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (NoSuchFileException e) {
            throw new SecretException(field + ": " + file + ": does not exist", e);
        } catch (IOException e) {
            // KeyStore.load reports a wrong password and a file that is not PKCS#12 as IOException.
            throw new SecretException(field + ": " + file + ": " + reason(e), e);
        } catch (GeneralSecurityException e) {
            throw new SecretException(field + ": " + file + ": not a PKCS#12 store: " + ClusterSecret.describe(e), e);
        }
    }

    private static String reason(IOException e) {
        Throwable cause = e.getCause();
        if (cause instanceof java.security.UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
            return "the password is wrong (" + e.getMessage() + ")";
        }
        return "cannot be read as a PKCS#12 store: " + ClusterSecret.describe(e);
    }

    private static char[] password(Path file, String field) throws SecretException {
        String text;
        try {
            Optional<String> open = PrivateFiles.openness(file);
            if (open.isPresent()) {
                throw new SecretException(field + ": " + file + ": is " + open.get() + "; " + PrivateFiles.advice(file),
                        null);
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SecretException(field + ": " + file + ": does not exist", e);
        } catch (IOException e) {
            throw new SecretException(field + ": " + file + ": cannot be read: " + ClusterSecret.describe(e), e);
        }
        String first = text.lines().findFirst().orElse("");
        if (first.isEmpty()) {
            throw new SecretException(field + ": " + file + ": is empty; its first line is the password", null);
        }
        return first.toCharArray();
    }
}
