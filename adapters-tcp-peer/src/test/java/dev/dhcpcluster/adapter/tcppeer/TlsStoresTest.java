package dev.dhcpcluster.adapter.tcppeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS context of peer connections, built from PKCS#12 stores that the JDK's keytool makes. */
class TlsStoresTest {

    @TempDir
    Path directory;
    private TlsStores tls;

    @BeforeEach
    void stores() throws Exception {
        Path keystore = directory.resolve("node.p12");
        Path certificate = directory.resolve("node.crt");
        Path truststore = directory.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=node1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "key-secret");
        keytool("-exportcert", "-alias", "node", "-keystore", keystore.toString(), "-storepass", "key-secret",
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "cluster", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", "trust-secret");
        Path keyPassword = directory.resolve("node.pass");
        Path trustPassword = directory.resolve("trust.pass");
        writePrivate(keyPassword, "key-secret\n");
        writePrivate(trustPassword, "trust-secret\n");
        tls = new TlsStores("cluster.tls", keystore, keyPassword, truststore, trustPassword);
    }

    /** A password file as an operator keeps it: readable by its owner only. */
    private static void writePrivate(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, process.exitValue(), output);
    }

    @Test
    @DisplayName("stores and password files that are right give a TLS 1.3 context whose engines hold the node's key")
    void builds() throws Exception {
        SSLContext context = tls.build();

        assertEquals("TLSv1.3", context.getProtocol());
        assertTrue(List.of(context.createSSLEngine().getSupportedProtocols()).contains("TLSv1.3"));
    }

    @Test
    @DisplayName("a wrong password names the keystore field and says the password is wrong")
    void wrongPassword() throws Exception {
        writePrivate(tls.keystorePasswordFile(), "not-it\n");

        TlsStores.Problem e = assertThrows(TlsStores.Problem.class, () -> tls.build());

        assertTrue(e.describe().startsWith("cluster.tls.keystore: " + tls.keystore() + ": the password is wrong"),
                e.describe());
    }

    @Test
    @DisplayName("a missing truststore, a password file open to others, a store that is not PKCS#12: each names its field")
    void badFiles() throws Exception {
        Files.setPosixFilePermissions(tls.truststorePasswordFile(), PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(assertThrows(TlsStores.Problem.class, () -> tls.build()).describe()
                .startsWith("cluster.tls.truststore-password-file: " + tls.truststorePasswordFile()
                        + ": is open to group or others (mode rw-r--r--)"));
        Files.setPosixFilePermissions(tls.truststorePasswordFile(), PosixFilePermissions.fromString("rw-------"));
        Files.delete(tls.truststore());
        assertEquals("cluster.tls.truststore: " + tls.truststore() + ": does not exist",
                assertThrows(TlsStores.Problem.class, () -> tls.build()).describe());
        Files.writeString(tls.keystore(), "not a store");
        assertTrue(assertThrows(TlsStores.Problem.class, () -> tls.build()).describe()
                .startsWith("cluster.tls.keystore: " + tls.keystore() + ": "));
    }
}
