package dev.dhcpcluster.adapter.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AbstractAssignmentStoreTest;
import dev.dhcpcluster.port.peer.AssignmentRecord;
import dev.dhcpcluster.port.peer.AssignmentStore;
import dev.dhcpcluster.port.peer.VoteStoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileAssignmentStoreTest extends AbstractAssignmentStoreTest {

    private static final String HEADER = "dhcpcluster-assignment 1 epoch=5 sequence=2\n";

    @TempDir
    Path directory;

    @Override
    protected AssignmentStore newStore() {
        return new FileAssignmentStore(directory.resolve("assignment"));
    }

    @Override
    protected AssignmentStore reopen(AssignmentStore earlier) {
        return new FileAssignmentStore(directory.resolve("assignment"));
    }

    private Path file() {
        return directory.resolve("assignment");
    }

    private static AssignmentRecord oneOfEach(long epoch, long sequence) {
        TreeMap<Ipv4Address, NodeId> blocks = new TreeMap<>();
        blocks.put(Ipv4Address.parse("198.18.0.0"), new NodeId(2));
        TreeMap<Integer, NodeId> buckets = new TreeMap<>();
        buckets.put(17, new NodeId(3));
        return new AssignmentRecord(epoch, sequence, blocks, buckets);
    }

    /** Writes {@code body} with its correct checksum, as only a deliberate forgery would. */
    private void writeWithChecksum(String body) throws Exception {
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        Files.writeString(file(), body + String.format("crc32c=%08x%n", crc.getValue()), StandardCharsets.US_ASCII);
    }

    private VoteStoreException refusedAtLoad() {
        VoteStoreException refused = assertThrows(VoteStoreException.class, () -> newStore().load());
        assertTrue(refused.getMessage().contains(file().toString()) && refused.getMessage().contains("damaged"),
                refused.getMessage());
        return refused;
    }

    @Test
    @DisplayName("the file is lines an operator can read: version, one line per holding, checksum")
    void fileIsReadable() throws Exception {
        newStore().save(oneOfEach(12, 3));
        String text = Files.readString(file());
        assertTrue(text.matches("dhcpcluster-assignment 1 epoch=12 sequence=3\n"
                + "block 198\\.18\\.0\\.0 holder=2\n"
                + "bucket 17 holder=3\n"
                + "crc32c=[0-9a-f]{8}\n"), text);
    }

    @Test
    @DisplayName("an assignment edited by hand is refused at load, naming the file")
    void editedAssignmentRefused() throws Exception {
        newStore().save(oneOfEach(12, 3));
        Files.writeString(file(), Files.readString(file()).replace("bucket 17 holder=3", "bucket 17 holder=2"));
        VoteStoreException refused = refusedAtLoad();
        assertTrue(refused.getMessage().contains("checksum"), refused.getMessage());
    }

    @Test
    @DisplayName("a truncated or empty file is refused at load, not read as no assignment")
    void truncatedAssignmentRefused() throws Exception {
        newStore().save(everythingHeld(4, 9));
        String whole = Files.readString(file());
        for (int length : new int[] {0, 1, whole.indexOf('\n'), whole.indexOf('\n') + 1, whole.length() / 2,
                whole.length() - 1}) {
            Files.writeString(file(), whole.substring(0, length), StandardCharsets.US_ASCII);
            refusedAtLoad();
        }
        // A whole line missing from the middle: the checksum no longer matches.
        Files.writeString(file(), whole.replace("bucket 100 holder=2\n", ""), StandardCharsets.US_ASCII);
        refusedAtLoad();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "bucket 17 holder=3\nbucket 17 holder=2\n",
        "block 198.18.0.0 holder=3\nblock 198.18.0.0 holder=2\n",
        "bucket 256 holder=2\n",
        "bucket 999 holder=2\n",
        "bucket 3 holder=0\n",
        "block 198.18.0.0 holder=0\n",
        "bucket 3 holder=4294967296\n",
        "block 198.18.0.256 holder=2\n",
        "bucket 3 holder=2 extra\n",
        "\n",
        "leader 3\n",
        "bucket -1 holder=2\n",
    })
    @DisplayName("a line that is not a valid holding is refused even with a correct checksum")
    void impossibleHoldingRefused(String lines) throws Exception {
        writeWithChecksum(HEADER + lines);
        refusedAtLoad();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "dhcpcluster-assignment 2 epoch=5 sequence=2\n",
        "dhcpcluster-vote 1 epoch=5 leader=2\n",
        "dhcpcluster-assignment 1 epoch=99999999999999999999 sequence=2\n",
        "dhcpcluster-assignment 1 epoch=0 sequence=2\n",
        "dhcpcluster-assignment 1 epoch=0 sequence=0\nbucket 1 holder=2\n",
        "bucket 1 holder=2\n",
    })
    @DisplayName("a header of another format or an impossible version is refused even with a correct checksum")
    void impossibleHeaderRefused(String body) throws Exception {
        writeWithChecksum(body);
        refusedAtLoad();
    }

    @Test
    @DisplayName("a well-formed file written by hand with its checksum is read")
    void handWrittenFileRead() throws Exception {
        writeWithChecksum(HEADER + "block 198.18.0.0 holder=2\nbucket 17 holder=3\n");
        assertEquals(Optional.of(oneOfEach(5, 2)), newStore().load());
    }

    @Test
    @DisplayName("a crash after writing the temporary file leaves the old assignment in force")
    void leftoverTemporaryIgnored() throws Exception {
        newStore().save(oneOfEach(4, 1));
        Files.writeString(directory.resolve("assignment.tmp"), "dhcpcluster-assignment 1 epoch=5 sequ");
        assertEquals(Optional.of(oneOfEach(4, 1)), newStore().load());
        newStore().save(oneOfEach(6, 1));
        assertEquals(Optional.of(oneOfEach(6, 1)), newStore().load());
    }

    @Test
    @DisplayName("a save that cannot be written throws, and the old assignment stays")
    void failedSaveKeepsOldAssignment() throws Exception {
        AssignmentStore store = newStore();
        store.save(oneOfEach(4, 1));
        // A directory where the temporary file must go: the write fails for root too.
        Files.createDirectories(directory.resolve("assignment.tmp").resolve("occupied"));
        VoteStoreException refused = assertThrows(VoteStoreException.class, () -> store.save(oneOfEach(5, 1)));
        assertTrue(refused.getMessage().contains("epoch 5") && refused.getMessage().contains(file().toString()),
                refused.getMessage());
        assertEquals(Optional.of(oneOfEach(4, 1)), store.load());
    }

    @Test
    @DisplayName("a save into a missing directory throws rather than pretending")
    void missingDirectoryThrows() {
        AssignmentStore store = new FileAssignmentStore(directory.resolve("missing").resolve("assignment"));
        assertThrows(VoteStoreException.class, () -> store.save(oneOfEach(1, 1)));
        assertEquals(Optional.empty(), store.load());
    }
}
