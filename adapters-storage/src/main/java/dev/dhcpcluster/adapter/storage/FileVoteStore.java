package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.Vote;
import dev.dhcpcluster.port.peer.VoteStore;
import dev.dhcpcluster.port.peer.VoteStoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link VoteStore} in one small text file, replaced atomically.
 *
 * <p>A save writes the new vote to a temporary file beside the real one, syncs it, renames it over
 * the real one and syncs the directory, so that after a crash at any point the file holds either
 * the old vote or the new one. The file is one line, readable by an operator:
 * {@code dhcpcluster-vote 1 epoch=12 leader=3 crc32c=5f0c1a2b}. The checksum catches a file that
 * was damaged or edited by hand: such a file is refused at start rather than trusted, because a
 * wrong epoch could let this node acknowledge a second leader for an epoch it already acknowledged.
 *
 * <p>Not thread-safe: the election calls it from its one thread.
 */
public final class FileVoteStore implements VoteStore {

    private static final String FORMAT = "dhcpcluster-vote 1";
    private static final Pattern LINE =
            Pattern.compile("dhcpcluster-vote 1 epoch=(\\d{1,19}) leader=(\\d{1,10}) crc32c=([0-9a-f]{8})\n?");

    private final DurableTextFile durable;
    private final Path file;

    /** A store in {@code file}, whose directory must exist; the file is created by the first save. */
    public FileVoteStore(Path file) {
        this.durable = new DurableTextFile(Objects.requireNonNull(file, "file"));
        this.file = durable.path();
    }

    @Override
    public Optional<Vote> load() {
        String text;
        try {
            Optional<String> read = durable.read();
            if (read.isEmpty()) {
                return Optional.empty();
            }
            text = read.get();
        } catch (IOException e) {
            throw new VoteStoreException("cannot read the election vote " + file + ": " + e.getMessage(), e);
        }
        Matcher matcher = LINE.matcher(text);
        if (!matcher.matches()) {
            throw damaged("it is not one line of the form \"" + FORMAT + " epoch=N leader=N crc32c=X\"");
        }
        String body = body(matcher.group(1), matcher.group(2));
        if (!DurableTextFile.checksum(body).equals(matcher.group(3))) {
            throw damaged("its checksum does not match");
        }
        try {
            return Optional.of(new Vote(Long.parseLong(matcher.group(1)), new NodeId(Integer.parseInt(matcher.group(2)))));
        } catch (NumberFormatException e) {
            throw damaged("a number is out of range");
        } catch (IllegalArgumentException e) {
            throw damaged(e.getMessage());
        }
    }

    @Override
    public void save(Vote vote) {
        String body = body(Long.toString(vote.epoch()), Integer.toString(vote.leader().value()));
        try {
            durable.replace(body + " crc32c=" + DurableTextFile.checksum(body) + "\n");
        } catch (IOException e) {
            throw new VoteStoreException("cannot save the election vote (epoch " + vote.epoch() + ") to " + file
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "FileVoteStore[" + file + "]";
    }

    private VoteStoreException damaged(String why) {
        return new VoteStoreException("the election vote " + file + " is damaged (" + why
                + "); a node cannot know which epochs it may acknowledge without it. Restore it, or remove it only "
                + "if this node's data is being discarded as a whole");
    }

    private static String body(String epoch, String leader) {
        return FORMAT + " epoch=" + epoch + " leader=" + leader;
    }
}
