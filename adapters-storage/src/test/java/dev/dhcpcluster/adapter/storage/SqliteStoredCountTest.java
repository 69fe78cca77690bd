package dev.dhcpcluster.adapter.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SqliteLeaseStore#storedCount}: the row count a node sizes its lease table from, read without opening the store. */
class SqliteStoredCountTest {

    @TempDir
    Path directory;

    private static SqliteLeaseStore store(Path file) {
        return new SqliteLeaseStore(file, new StoreFixtures.ManualTime(), ClusterEvents.NONE, Duration.ofDays(1));
    }

    @Test
    @DisplayName("a file of 300 leases counts 300 before the store opens, and the store then opens and loads them as usual")
    void countsTheRowsOfAnExistingFile() throws Exception {
        Path file = directory.resolve("leases.db");
        List<Lease> leases = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            leases.add(StoreFixtures.lease(i, 1));
        }
        try (SqliteLeaseStore writer = store(file)) {
            writer.loadAll();
            StoreFixtures.write(writer, leases).awaitDurable();
        }

        try (SqliteLeaseStore reader = store(file)) {
            assertEquals(OptionalLong.of(300), reader.storedCount());
            List<Lease> handed = new ArrayList<>();
            assertEquals(300, reader.loadEach(handed::add));
            assertEquals(leases, handed);
            assertEquals(OptionalLong.empty(), reader.storedCount(), "an open store is not counted again");
        }
    }

    @Test
    @DisplayName("a missing file counts nothing and is not created; a file that is no database counts nothing and is left as it was")
    void countsNothingItCannotRead() throws Exception {
        Path missing = directory.resolve("missing.db");
        assertEquals(OptionalLong.empty(), store(missing).storedCount());
        assertFalse(Files.exists(missing));
        assertFalse(Files.exists(directory.resolve("missing.db.lock")));

        Path text = directory.resolve("notes.db");
        byte[] content = "not a database, an operator's notes\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
        Files.write(text, content);
        assertEquals(OptionalLong.empty(), store(text).storedCount());
        assertArrayEquals(content, Files.readAllBytes(text));
        try (var beside = Files.list(directory)) {
            assertTrue(beside.map(path -> path.getFileName().toString())
                    .noneMatch(name -> name.startsWith("notes.db") && !name.equals("notes.db")),
                    "no journal, log or lock beside it");
        }
    }
}
