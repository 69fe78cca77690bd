package dev.dhcpcluster.bootstrap.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.cli.DhcpclusterCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster secret file and {@code dhcpcluster cluster-key}. */
class ClusterSecretTest {

    @TempDir
    Path directory;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = DhcpclusterCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    @DisplayName("cluster-key writes 32 random bytes as one base64 line, mode 0600, that the node reads back")
    void generates() throws Exception {
        Path file = directory.resolve("keys").resolve("cluster.key");

        Run run = run("cluster-key", file.toString());

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("wrote a new cluster secret to " + file), run.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        assertEquals(1, text.lines().count());
        byte[] secret = Base64.getDecoder().decode(text.strip());
        assertEquals(32, secret.length);
        assertArrayEquals(secret, ClusterSecret.read(file));
        Path other = directory.resolve("other.key");
        ClusterSecret.generate(other, false);
        assertFalse(java.util.Arrays.equals(secret, ClusterSecret.read(other)), "two secrets are never the same");
    }

    @Test
    @DisplayName("an existing file is kept unless --force; --force replaces it, still mode 0600")
    void overwrite() throws Exception {
        Path file = directory.resolve("cluster.key");
        ClusterSecret.generate(file, false);
        String before = Files.readString(file);

        Run refused = run("cluster-key", file.toString());

        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains(file + ": exists already"), refused.err());
        assertEquals(before, Files.readString(file));
        Run forced = run("cluster-key", "--force", file.toString());
        assertEquals(0, forced.exit(), forced.err());
        assertFalse(before.equals(Files.readString(file)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var listing = Files.list(directory)) {
            assertEquals(1, listing.count(), "no temporary file left beside it");
        }
    }

    @Test
    @DisplayName("a secret file readable by group or others is refused in one line naming it and the fix")
    void openFileRefused() throws Exception {
        Path file = directory.resolve("cluster.key");
        ClusterSecret.generate(file, false);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        SecretException e = assertThrows(SecretException.class, () -> ClusterSecret.read(file));

        assertEquals(file + ": the cluster secret file is open to group or others (mode rw-r-----); make it readable "
                + "by the node's user only (chmod 600 " + file + ")", e.getMessage());
    }

    @Test
    @DisplayName("config check reads a cluster member's secret as run does: a file open to others is an error at cluster.secret-file")
    void configCheckReadsTheSecret() throws Exception {
        Path secret = directory.resolve("cluster.key");
        ClusterSecret.generate(secret, false);
        Path config = directory.resolve("node.json");
        Files.writeString(config, """
                {"node": {"id": 1, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 6767},
                 "cluster": {"name": "lab", "listen": "127.0.0.1:6768", "secret-file": "%s",
                             "peers": [{"id": 2, "address": "127.0.0.2:6768"}]},
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.1.1 - 198.18.1.9"}]}]}}
                """.formatted(directory.resolve("data"), secret));

        Run ok = run("config", "check", config.toString());
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-rw----"));
        Run refused = run("config", "check", config.toString());
        Run elsewhere = run("config", "check", "--no-host-check", config.toString());

        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().endsWith(", cluster \"lab\" of 2 members" + System.lineSeparator()), ok.out());
        assertEquals(2, refused.exit());
        assertTrue(refused.err().contains("cluster.secret-file: " + secret + ": the cluster secret file is open to "
                + "group or others (mode rw-rw----)"), refused.err());
        assertEquals(0, elsewhere.exit(), "a file for another host is checked alone: " + elsewhere.err());
    }

    @Test
    @DisplayName("config check asks the peer transport for the files it reads at start: a missing TLS password file is an error at its field")
    void configCheckReadsTheTransportsFiles() throws Exception {
        Path secret = directory.resolve("cluster.key");
        ClusterSecret.generate(secret, false);
        Path config = directory.resolve("node.json");
        Files.writeString(config, """
                {"node": {"id": 1, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 6767},
                 "cluster": {"name": "lab", "transport": "tcp", "listen": "127.0.0.1:6768", "secret-file": "%s",
                             "peers": [{"id": 2, "address": "127.0.0.2:6768"}],
                             "tls": {"keystore": "node1.p12", "keystore-password-file": "node1.pass",
                                     "truststore": "trust.p12", "truststore-password-file": "trust.pass"}},
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.1.1 - 198.18.1.9"}]}]}}
                """.formatted(directory.resolve("data"), secret));

        Run refused = run("config", "check", config.toString());
        Run elsewhere = run("config", "check", "--no-host-check", config.toString());

        assertEquals(2, refused.exit());
        assertTrue(refused.err().contains("cluster.tls.keystore-password-file: "
                + directory.resolve("data").resolve("node1.pass") + ": does not exist"), refused.err());
        assertEquals(0, elsewhere.exit(), "a file for another host is checked alone: " + elsewhere.err());
    }

    @Test
    @DisplayName("a secret shorter than 16 bytes, not base64, empty or missing is refused")
    void badSecrets() throws Exception {
        Path file = directory.resolve("cluster.key");
        PrivateFiles.create(file, Base64.getEncoder().encodeToString(new byte[15]) + "\n");
        assertEquals(file + ": the cluster secret is 15 bytes, fewer than 16 (dhcpcluster cluster-key --force " + file
                + " writes a new one)", assertThrows(SecretException.class, () -> ClusterSecret.read(file)).getMessage());
        PrivateFiles.replace(file, Base64.getEncoder().encodeToString(new byte[16]) + "\n");
        assertEquals(16, ClusterSecret.read(file).length);
        PrivateFiles.replace(file, "not base64!\n");
        assertEquals(file + ": the cluster secret is not base64",
                assertThrows(SecretException.class, () -> ClusterSecret.read(file)).getMessage());
        PrivateFiles.replace(file, "\n");
        assertTrue(assertThrows(SecretException.class, () -> ClusterSecret.read(file)).getMessage()
                .endsWith("not one line of base64"));
        Path missing = directory.resolve("none.key");
        assertTrue(assertThrows(SecretException.class, () -> ClusterSecret.read(missing)).getMessage()
                .startsWith(missing + ": no cluster secret file"));
    }
}
