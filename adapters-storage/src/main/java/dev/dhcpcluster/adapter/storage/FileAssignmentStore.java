package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AssignmentRecord;
import dev.dhcpcluster.port.peer.AssignmentStore;
import dev.dhcpcluster.port.peer.VoteStoreException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@link AssignmentStore} in one small text file, replaced atomically.
 *
 * <p>A save writes the new assignment to a temporary file beside the real one, syncs it, renames
 * it over the real one and syncs the directory, so that after a crash at any point the file holds
 * either the old assignment or the new one. The file is text an operator can read: a header with
 * the format and the version, one line per held block and per held bucket, and a checksum of all
 * the lines before it:
 *
 * <pre>
 * dhcpcluster-assignment 1 epoch=12 sequence=3
 * block 198.18.0.0 holder=2
 * bucket 0 holder=3
 * bucket 1 holder=2
 * crc32c=5f0c1a2b
 * </pre>
 *
 * <p>It is read strictly. A line of no known form, a block or bucket listed twice, a bucket outside
 * 0 to 255, a holder that is not a positive node id, a missing checksum line or one that does not
 * match: each makes the file damaged, and it is refused at start rather than trusted or read as
 * "nothing saved", because an assignment a majority acknowledged must never be forgotten or
 * changed behind the leader's back.
 *
 * <p>Not thread-safe: the node calls it from its one application thread.
 */
public final class FileAssignmentStore implements AssignmentStore {

    private static final String FORMAT = "dhcpcluster-assignment 1";
    private static final Pattern HEADER = Pattern.compile("dhcpcluster-assignment 1 epoch=(\\d{1,19}) sequence=(\\d{1,19})");
    private static final Pattern BLOCK = Pattern.compile("block (\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}) holder=(\\d{1,10})");
    private static final Pattern BUCKET = Pattern.compile("bucket (\\d{1,3}) holder=(\\d{1,10})");
    private static final Pattern CHECKSUM = Pattern.compile("crc32c=([0-9a-f]{8})");

    private final DurableTextFile durable;
    private final Path file;

    /** A store in {@code file}, whose directory must exist; the file is created by the first save. */
    public FileAssignmentStore(Path file) {
        this.durable = new DurableTextFile(Objects.requireNonNull(file, "file"));
        this.file = durable.path();
    }

    @Override
    public Optional<AssignmentRecord> load() {
        String text;
        try {
            Optional<String> read = durable.read();
            if (read.isEmpty()) {
                return Optional.empty();
            }
            text = read.get();
        } catch (CharacterCodingException e) {
            throw damaged("it holds bytes that are not ASCII text");
        } catch (IOException e) {
            throw new VoteStoreException("cannot read the assignment " + file + ": " + e.getMessage(), e);
        }
        // The writer ends every line, the checksum's too: a file without a final newline was cut short.
        if (!text.endsWith("\n")) {
            throw damaged("it does not end with a complete line; it was cut short");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 2) {
            throw damaged("it has no header and checksum lines");
        }
        Matcher checksum = CHECKSUM.matcher(lines[lines.length - 1]);
        if (!checksum.matches()) {
            throw damaged("its last line is not \"crc32c=X\"; it was cut short or edited");
        }
        String body = text.substring(0, text.length() - lines[lines.length - 1].length() - 1);
        if (!DurableTextFile.checksum(body).equals(checksum.group(1))) {
            throw damaged("its checksum does not match");
        }
        Matcher header = HEADER.matcher(lines[0]);
        if (!header.matches()) {
            throw damaged("its first line is not of the form \"" + FORMAT + " epoch=N sequence=N\"");
        }
        long epoch = number(header.group(1), "the epoch");
        long sequence = number(header.group(2), "the sequence");
        SortedMap<Ipv4Address, NodeId> blocks = new TreeMap<>();
        SortedMap<Integer, NodeId> buckets = new TreeMap<>();
        for (int i = 1; i < lines.length - 1; i++) {
            String line = lines[i];
            Matcher block = BLOCK.matcher(line);
            Matcher bucket = BUCKET.matcher(line);
            if (block.matches()) {
                Ipv4Address first;
                try {
                    first = Ipv4Address.parse(block.group(1));
                } catch (IllegalArgumentException e) {
                    throw damaged("line " + (i + 1) + ": " + e.getMessage());
                }
                if (blocks.put(first, holder(block.group(2), i)) != null) {
                    throw damaged("line " + (i + 1) + ": block " + first + " is listed twice");
                }
            } else if (bucket.matches()) {
                long number = number(bucket.group(1), "line " + (i + 1) + ": the bucket");
                if (number > 255) {
                    throw damaged("line " + (i + 1) + ": a bucket is 0 to 255, not " + number);
                }
                if (buckets.put((int) number, holder(bucket.group(2), i)) != null) {
                    throw damaged("line " + (i + 1) + ": bucket " + number + " is listed twice");
                }
            } else {
                throw damaged("line " + (i + 1) + " is neither \"block A.B.C.D holder=N\" nor \"bucket N holder=N\"");
            }
        }
        try {
            return Optional.of(new AssignmentRecord(epoch, sequence, blocks, buckets));
        } catch (IllegalArgumentException e) {
            throw damaged(e.getMessage());
        }
    }

    @Override
    public void save(AssignmentRecord assignment) {
        StringBuilder body = new StringBuilder();
        body.append(FORMAT).append(" epoch=").append(assignment.epoch())
                .append(" sequence=").append(assignment.sequence()).append('\n');
        for (Map.Entry<Ipv4Address, NodeId> block : assignment.blocks().entrySet()) {
            body.append("block ").append(block.getKey()).append(" holder=").append(block.getValue().value()).append('\n');
        }
        for (Map.Entry<Integer, NodeId> bucket : assignment.buckets().entrySet()) {
            body.append("bucket ").append(bucket.getKey()).append(" holder=").append(bucket.getValue().value()).append('\n');
        }
        String text = body + "crc32c=" + DurableTextFile.checksum(body.toString()) + "\n";
        try {
            durable.replace(text);
        } catch (IOException e) {
            throw new VoteStoreException("cannot save the assignment (epoch " + assignment.epoch() + ", sequence "
                    + assignment.sequence() + ") to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "FileAssignmentStore[" + file + "]";
    }

    /** A decimal number of at most 19 digits, which may still exceed a long. */
    private long number(String digits, String what) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw damaged(what + " " + digits + " is out of range");
        }
    }

    private NodeId holder(String digits, int index) {
        long value = Long.parseLong(digits); // at most 10 digits: always a long
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw damaged("line " + (index + 1) + ": the holder " + digits + " is not a node id (1 to "
                    + Integer.MAX_VALUE + ")");
        }
        return new NodeId((int) value);
    }

    private VoteStoreException damaged(String why) {
        return new VoteStoreException("the assignment " + file + " is damaged (" + why
                + "); without it this node could forget which blocks and buckets a majority agreed to. Restore "
                + "it, or remove it only if this node's data is being discarded as a whole");
    }
}
