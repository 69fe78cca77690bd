package dev.dhcpcluster.adapter.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AbstractVoteStoreTest;
import dev.dhcpcluster.port.peer.Vote;
import dev.dhcpcluster.port.peer.VoteStore;
import dev.dhcpcluster.port.peer.VoteStoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileVoteStoreTest extends AbstractVoteStoreTest {

    @TempDir
    Path directory;

    @Override
    protected VoteStore newStore() {
        return new FileVoteStore(directory.resolve("election-vote"));
    }

    @Override
    protected VoteStore reopen(VoteStore earlier) {
        return new FileVoteStore(directory.resolve("election-vote"));
    }

    @Test
    @DisplayName("the file is one line an operator can read")
    void fileIsReadable() throws Exception {
        newStore().save(new Vote(12, new NodeId(3)));
        String text = Files.readString(directory.resolve("election-vote"));
        assertTrue(text.startsWith("dhcpcluster-vote 1 epoch=12 leader=3 crc32c="), text);
    }

    @Test
    @DisplayName("a vote edited by hand is refused at load, naming the file")
    void editedVoteRefused() throws Exception {
        newStore().save(new Vote(12, new NodeId(3)));
        Path file = directory.resolve("election-vote");
        Files.writeString(file, Files.readString(file).replace("epoch=12", "epoch=11"));
        VoteStoreException refused = assertThrows(VoteStoreException.class, () -> newStore().load());
        assertTrue(refused.getMessage().contains(file.toString()) && refused.getMessage().contains("checksum"),
                refused.getMessage());
    }

    @Test
    @DisplayName("a truncated or foreign file is refused at load, not read as no vote")
    void truncatedVoteRefused() throws Exception {
        Files.writeString(directory.resolve("election-vote"), "dhcpcluster-vote 1 epoch=1", StandardCharsets.US_ASCII);
        assertThrows(VoteStoreException.class, () -> newStore().load());
        Files.writeString(directory.resolve("election-vote"), "", StandardCharsets.US_ASCII);
        assertThrows(VoteStoreException.class, () -> newStore().load());
    }

    @Test
    @DisplayName("a crash after writing the temporary file leaves the old vote in force")
    void leftoverTemporaryIgnored() throws Exception {
        newStore().save(new Vote(4, new NodeId(2)));
        Files.writeString(directory.resolve("election-vote.tmp"), "dhcpcluster-vote 1 epoch=5 leader=3 crc32c=0000");
        assertEquals(Optional.of(new Vote(4, new NodeId(2))), newStore().load());
        newStore().save(new Vote(6, new NodeId(3)));
        assertEquals(Optional.of(new Vote(6, new NodeId(3))), newStore().load());
    }

    @Test
    @DisplayName("a save that cannot be written throws, and the old vote stays")
    void failedSaveKeepsOldVote() throws Exception {
        VoteStore store = newStore();
        store.save(new Vote(4, new NodeId(2)));
        // A directory where the temporary file must go: the write fails for root too.
        Files.createDirectories(directory.resolve("election-vote.tmp").resolve("occupied"));
        VoteStoreException refused = assertThrows(VoteStoreException.class, () -> store.save(new Vote(5, new NodeId(3))));
        assertTrue(refused.getMessage().contains("epoch 5"), refused.getMessage());
        assertEquals(Optional.of(new Vote(4, new NodeId(2))), store.load());
    }

    @Test
    @DisplayName("a save into a missing directory throws rather than pretending")
    void missingDirectoryThrows() {
        VoteStore store = new FileVoteStore(directory.resolve("missing").resolve("election-vote"));
        assertThrows(VoteStoreException.class, () -> store.save(new Vote(1, new NodeId(1))));
    }
}
