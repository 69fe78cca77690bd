package dev.dhcpcluster.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AckLogTest {

    private static final Ack ACK = new Ack(Instant.parse("2030-05-01T10:00:00.250Z"), Ipv4Address.parse("198.18.1.7"),
            HardwareAddress.parseEthernet("02:00:00:00:00:07"), Duration.ofSeconds(3600),
            Instant.parse("2030-05-01T11:00:00.200Z"));

    @Test
    void anAckIsOneLineOfFiveFields() {
        assertEquals("2030-05-01T10:00:00.250Z 198.18.1.7 02:00:00:00:00:07 3600 2030-05-01T11:00:00.200Z",
                ACK.toLine());
        assertEquals(ACK, Ack.parse(ACK.toLine()));
    }

    @Test
    void aLineThatIsNotAnAckIsRefusedQuoted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ack.parse("2030-05-01T10:00:00Z 198.18.1.7 02:00:00:00:00:07 3600"));
        assertTrue(e.getMessage().startsWith("\"2030-05-01T10:00:00Z 198.18.1.7"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Ack.parse("2030-05-01T10:00:00Z 198.18.1.700 02:00:00:00:00:07 3600 2030-05-01T11:00:00Z"));
    }

    @Test
    void eachAckIsInTheFileAsSoonAsItIsLogged(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("acks.log");
        try (AckLog log = AckLog.open(file)) {
            log.accept(ACK);

            assertEquals(List.of(ACK.toLine()), Files.readAllLines(file), "written before the log is closed");
            assertEquals(Optional.empty(), log.failure());
        }
    }

    @Test
    void aLogAppendsToWhatIsAlreadyThere(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("acks.log");
        Files.writeString(file, "earlier line\n");

        try (AckLog log = AckLog.open(file)) {
            log.accept(ACK);
        }

        assertEquals(List.of("earlier line", ACK.toLine()), Files.readAllLines(file));
    }

    @Test
    void aLogThatCannotBeOpenedSaysWhichFile(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> AckLog.open(dir.resolve("missing").resolve("acks.log")));
        assertTrue(e.getMessage().startsWith("cannot open the ACK log " + dir.resolve("missing")), e.getMessage());
    }
}
