package dev.dhcpcluster.adapter.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LostStoreMarkTest {

    @TempDir
    Path directory;

    @Test
    @DisplayName("the note is absent, then set (surviving a new reader, as a restart), then cleared")
    void setSurvivesAndClears() throws Exception {
        Path file = directory.resolve("lease-store-lost");
        assertFalse(new LostStoreMark(file).present());

        new LostStoreMark(file).set("2026-12-06T19:00:00Z the store was new\u0007");

        LostStoreMark again = new LostStoreMark(file);
        assertTrue(again.present());
        assertEquals(Optional.of("2026-12-06T19:00:00Z the store was new?"), again.text(), "control characters replaced");
        again.clear();
        assertFalse(new LostStoreMark(file).present());
        again.clear();
        assertFalse(again.present(), "clearing twice is harmless");
    }
}
