package dev.dhcpcluster.bootstrap.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("a missing token file is created with a random token, readable by its owner only")
    void created() throws Exception {
        Path file = dir.resolve("sub/admin.token");

        AdminToken.Loaded loaded = AdminToken.loadOrCreate(file);

        assertTrue(loaded.created());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String written = Files.readString(file).strip();
        assertTrue(written.matches("[0-9a-f]{64}"), written);
        assertTrue(loaded.token().matches(written));
        AdminToken.Loaded again = AdminToken.loadOrCreate(file);
        assertFalse(again.created());
        assertTrue(again.token().matches(written), "the same token the next time");
        assertFalse(AdminToken.loadOrCreate(dir.resolve("other.token")).token().matches(written), "tokens are random");
    }

    @Test
    @DisplayName("a token file open to group or others is refused, naming it")
    void openFileRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("admin.token"), "secret\n");
        for (String mode : new String[] {"rw-r-----", "rw----r--", "rw--w----"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));

            AdminTokenException e = assertThrows(AdminTokenException.class, () -> AdminToken.loadOrCreate(file));

            assertTrue(e.getMessage().startsWith(file + ": the admin token file is open to group or others (mode "
                    + mode + ")"), e.getMessage());
        }
    }

    @Test
    @DisplayName("an empty token file is refused; a token compares exactly")
    void emptyAndMatching() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.token"), "\n");
        Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rw-------"));
        assertThrows(AdminTokenException.class, () -> AdminToken.loadOrCreate(empty));

        AdminToken token = AdminToken.of("abc123");
        assertTrue(token.matches("abc123"));
        assertFalse(token.matches("abc124"));
        assertFalse(token.matches("abc1234"));
        assertFalse(token.matches(""));
        assertFalse(token.toString().contains("abc123"), "a token never reaches a log");
    }
}
