package dev.dhcpcluster.port.peer;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A message between two nodes of one cluster: the vocabulary of the bully election with epochs,
 * of the replication of lease changes ({@link LeaseChange}, {@link LeaseAck},
 * {@link LeaseRefusal}, {@link LeaseCommit}), of the snapshot a node that lost its lease store
 * reads from its peers ({@link SnapshotRequest}, {@link SnapshotPage}), of the leader's assignment
 * of blocks and buckets with time-limited grants, and of the leader's {@code Dhcp4} configuration
 * ({@link ServerConfigOffer}), and of what a node tells the observers that watch the cluster
 * without belonging to it ({@link ObserverView}).
 *
 * <p>Every message names its sender and an epoch. An epoch numbers a leadership: a node proposes
 * epoch {@code e} in a {@link Coordinator} and leads only once a majority of the configured cluster
 * has acknowledged {@code e}. A node that has acknowledged epoch {@code e} ignores every message
 * of a lower epoch.
 *
 * <p>The family is sealed so that a transport's codec and the state machines that read the
 * messages see every kind at compile time. Messages are immutable values; transports carry them
 * unchanged, and {@link #from()} is the node the transport authenticated: a transport drops a
 * message whose {@code from} differs from the peer it arrived from.
 */
public sealed interface PeerMessage
        permits PeerMessage.Election, PeerMessage.Answer, PeerMessage.Coordinator, PeerMessage.Acknowledge,
                PeerMessage.Heartbeat, PeerMessage.LeaseChange, PeerMessage.LeaseAck, PeerMessage.LeaseRefusal,
                PeerMessage.LeaseCommit, PeerMessage.AssignmentReport, PeerMessage.AssignmentOffer,
                PeerMessage.AssignmentAccepted, PeerMessage.GrantRequest, PeerMessage.Grant,
                PeerMessage.ServerConfigOffer, PeerMessage.SnapshotRequest, PeerMessage.SnapshotPage,
                PeerMessage.ObserverView {

    /** The node that sent the message. */
    NodeId from();

    /** The epoch the message speaks in, as described on each kind; never negative. */
    long epoch();

    /**
     * "I want to lead": sent by a node that starts an election to every node with a higher id.
     *
     * @param from the candidate
     * @param epoch the highest epoch the candidate has seen
     */
    record Election(NodeId from, long epoch) implements PeerMessage {
        public Election {
            Objects.requireNonNull(from, "from");
            requireEpoch(epoch);
        }
    }

    /**
     * "I am higher, and I will take over": a higher node's reply to an {@link Election} (the
     * seed's "Okay"). The candidate then waits for a {@link Coordinator}.
     *
     * @param from the higher node
     * @param epoch the highest epoch the higher node has seen
     */
    record Answer(NodeId from, long epoch) implements PeerMessage {
        public Answer {
            Objects.requireNonNull(from, "from");
            requireEpoch(epoch);
        }
    }

    /**
     * "I lead in this epoch, if a majority agrees": sent by the winner of an election to every
     * node. The epoch is higher than any its sender had seen when it first proposed it.
     *
     * @param from the proposed leader
     * @param epoch the epoch it proposes to lead
     */
    record Coordinator(NodeId from, long epoch) implements PeerMessage {
        public Coordinator {
            Objects.requireNonNull(from, "from");
            requireEpoch(epoch);
        }
    }

    /**
     * "I follow {@code leader} in {@code epoch}": the reply to a {@link Coordinator}, sent only
     * once the acknowledgement is on the sender's disk.
     *
     * @param from the acknowledging node
     * @param epoch the acknowledged epoch
     * @param leader the node acknowledged as leader of that epoch
     */
    record Acknowledge(NodeId from, long epoch, NodeId leader) implements PeerMessage {
        public Acknowledge {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(leader, "leader");
            requireEpoch(epoch);
        }
    }

    /**
     * "I am alive, and this is where I stand": sent by every node to every other at the heartbeat
     * interval. Each node works out who is alive, and whether it hears a majority, from the
     * heartbeats it receives itself.
     *
     * @param from the sender
     * @param epoch the highest epoch the sender has acknowledged (0 before any)
     * @param leader the node the sender acknowledged as leader of that epoch; empty before any
     * @param leading true if the sender leads now: it is {@code leader} and hears a majority that
     *     acknowledged its epoch
     */
    record Heartbeat(NodeId from, long epoch, Optional<NodeId> leader, boolean leading) implements PeerMessage {
        public Heartbeat {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(leader, "leader");
            requireEpoch(epoch);
            if (leading && !leader.equals(Optional.of(from))) {
                throw new IllegalArgumentException(from + " cannot lead epoch " + epoch + " acknowledged for " + leader);
            }
            if (leader.isPresent() != (epoch > 0)) {
                throw new IllegalArgumentException("epoch " + epoch + " and leader " + leader + " disagree: "
                        + "epoch 0 has no leader and every later epoch has one");
            }
        }
    }

    /**
     * "Make this change of one address's lease durable, if you still hold the lease it replaces":
     * sent by the node that wrote {@code lease} to every peer, and again until each answers. A
     * replica accepts it (writes it durably, then answers {@link LeaseAck}) only if the lease it
     * holds for the address equals {@code replaced} in full (none for an address it holds no lease
     * of), or is {@code lease} itself (a duplicate, acknowledged again); otherwise it answers
     * {@link LeaseRefusal}. It names the whole replaced lease, not only its version, because a
     * writer that restarted can give another lease the version one of its lost changes had: a
     * replica holding that other lease must not take a change built on it, nor the reverse.
     *
     * @param from the writer
     * @param epoch the epoch the writer speaks in
     * @param lease the new lease; its version is above {@code replaced}'s
     * @param replaced the lease it replaces, as the writer held it, of the same address; empty for
     *     an address the writer held no lease of
     */
    record LeaseChange(NodeId from, long epoch, Lease lease, Optional<Lease> replaced) implements PeerMessage {
        public LeaseChange {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(replaced, "replaced");
            requireEpoch(epoch);
            if (replaced.isPresent() && !replaced.get().address().equals(lease.address())) {
                throw new IllegalArgumentException("a change of " + lease.address() + " cannot replace a lease of "
                        + replaced.get().address());
            }
            if (replaced.isPresent() && !lease.version().isAfter(replaced.get().version())) {
                throw new IllegalArgumentException("a change to version " + lease.version()
                        + " cannot replace version " + replaced.get().version());
            }
        }
    }

    /**
     * "My disk holds this lease of the address": the answer to a {@link LeaseChange} (then
     * {@code lease} is exactly the change's) or to a {@link LeaseCommit} (then it is the committed
     * lease or a later one), sent only once that lease is durable. It names the whole lease, not
     * only its version, because a writer that restarted can give another change the version one of
     * its changes had before the restart: an answer to that earlier change, arriving late, must not
     * count for the new one.
     *
     * @param from the replica
     * @param epoch the epoch the replica speaks in
     * @param lease the lease the replica holds durably
     */
    record LeaseAck(NodeId from, long epoch, Lease lease) implements PeerMessage {
        public LeaseAck {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(lease, "lease");
            requireEpoch(epoch);
        }

        /** The address of {@link #lease()}. */
        public Ipv4Address address() {
            return lease.address();
        }

        /** The version of {@link #lease()}. */
        public LeaseVersion version() {
            return lease.version();
        }
    }

    /**
     * "I do not hold the lease your change replaces": the answer to a {@link LeaseChange} that
     * a replica does not accept. The writer counts it as final: the version a replica holds of an
     * address only goes up, and the one case where its lease changes at the same version (it
     * installs the committed lease over a lost change's) leaves a change it refused uncommitted at
     * worst, never a client acknowledged wrongly. It names the whole refused lease, for the reason
     * {@link LeaseAck} does.
     *
     * @param from the replica
     * @param epoch the epoch the replica speaks in
     * @param refused the lease of the refused change
     * @param holds the version the replica holds of the address; empty if none, or if the replica
     *     accepts no change at all while it catches up
     */
    record LeaseRefusal(NodeId from, long epoch, Lease refused, Optional<LeaseVersion> holds) implements PeerMessage {
        public LeaseRefusal {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(refused, "refused");
            Objects.requireNonNull(holds, "holds");
            requireEpoch(epoch);
        }

        /** The address of the refused lease. */
        public Ipv4Address address() {
            return refused.address();
        }
    }

    /**
     * "This version is committed: durable on a majority of the configured cluster": sent by the
     * writer of {@code lease}, once its change is committed, to every peer that did not
     * acknowledge the change, until each answers {@link LeaseAck}. A replica installs it over any
     * lower version it holds, whatever that is: this is how a replica that missed changes catches
     * up with an address.
     *
     * @param from the writer
     * @param epoch the epoch the writer speaks in
     * @param lease the committed lease
     */
    record LeaseCommit(NodeId from, long epoch, Lease lease) implements PeerMessage {
        public LeaseCommit {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(lease, "lease");
            requireEpoch(epoch);
        }
    }

    /**
     * "This is the latest assignment I accepted": sent by a member to the leader it acknowledged,
     * each heartbeat interval until that leader has sent it an offer or a grant in its epoch. A new
     * leader takes the latest of those reported by a majority that acknowledged its epoch, itself
     * included, so that an assignment a majority accepted is never forgotten.
     *
     * @param from the member
     * @param epoch the epoch the member acknowledged, whose leader the report goes to
     * @param accepted the latest assignment the member saved ({@link AssignmentRecord#NONE} before any)
     */
    record AssignmentReport(NodeId from, long epoch, AssignmentRecord accepted) implements PeerMessage {
        public AssignmentReport {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(accepted, "accepted");
            requireEpoch(epoch);
        }
    }

    /**
     * "Accept this assignment": sent by the leader of {@code epoch} to every member until it
     * acknowledges. A member that acknowledged that leader in that epoch saves the assignment if it
     * is later than the one it holds, and then answers with {@link AssignmentAccepted}.
     *
     * @param from the leader
     * @param epoch the leader's epoch
     * @param assignment the proposed assignment, of a version made in {@code epoch}
     */
    record AssignmentOffer(NodeId from, long epoch, AssignmentRecord assignment) implements PeerMessage {
        public AssignmentOffer {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(assignment, "assignment");
            requireEpoch(epoch);
        }
    }

    /**
     * "The assignment of this version is on my disk": a member's answer to an {@link AssignmentOffer},
     * sent only once it saved it (or a later one).
     *
     * @param from the member
     * @param epoch the leader epoch the member acknowledged
     * @param assignmentEpoch the epoch of the accepted assignment's version
     * @param sequence the sequence of the accepted assignment's version
     */
    record AssignmentAccepted(NodeId from, long epoch, long assignmentEpoch, long sequence) implements PeerMessage {
        public AssignmentAccepted {
            Objects.requireNonNull(from, "from");
            requireEpoch(epoch);
            requireEpoch(assignmentEpoch);
            requireEpoch(sequence);
        }
    }

    /**
     * "Renew my grant": sent by a member to its leader each heartbeat interval. The leader answers
     * with a {@link Grant} that echoes {@code requestNanos}, only if the member accepted the
     * assignment the leader committed last.
     *
     * @param from the member
     * @param epoch the leader epoch the member acknowledged
     * @param requestNanos the member's own monotonic clock when it sent this request; meaningful to
     *     the member alone, which counts its grant from it
     * @param assignmentEpoch the epoch of the latest assignment the member accepted
     * @param sequence the sequence of that assignment
     * @param freeBySubnet how many addresses of its blocks the member has free in each subnet, under
     *     the subnet's first block (the lowest address of its pools' blocks), so that the leader can
     *     give more blocks of a subnet to a member that runs low in it
     */
    record GrantRequest(NodeId from, long epoch, long requestNanos, long assignmentEpoch, long sequence,
            SortedMap<Ipv4Address, Long> freeBySubnet) implements PeerMessage {
        public GrantRequest {
            Objects.requireNonNull(from, "from");
            requireEpoch(epoch);
            requireEpoch(assignmentEpoch);
            requireEpoch(sequence);
            freeBySubnet.forEach((subnet, free) -> {
                Objects.requireNonNull(subnet, "subnet");
                if (free == null || free < 0) {
                    throw new IllegalArgumentException("free addresses are never negative, not " + free + " in "
                            + subnet);
                }
            });
            freeBySubnet = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(freeBySubnet));
        }
    }

    /**
     * "Hold your share of this assignment": the leader's answer to a {@link GrantRequest}. The
     * member holds its blocks and buckets for the grant's length counted from {@code requestNanos}
     * on its own clock, that is from when it asked, not from when this answer arrived.
     *
     * @param from the leader
     * @param epoch the leader's epoch
     * @param requestNanos the {@link GrantRequest#requestNanos()} this grant answers, echoed
     * @param assignmentEpoch the epoch of the committed assignment granted
     * @param sequence the sequence of that assignment
     */
    record Grant(NodeId from, long epoch, long requestNanos, long assignmentEpoch, long sequence)
            implements PeerMessage {
        public Grant {
            Objects.requireNonNull(from, "from");
            requireEpoch(epoch);
            requireEpoch(assignmentEpoch);
            requireEpoch(sequence);
        }
    }

    /**
     * "Serve this {@code Dhcp4} configuration": sent by the leader of {@code epoch} to every member
     * when it starts leading, when a member connects, when its own configuration changes, and again
     * at a refresh interval. A member that follows that leader in that epoch serves it if its
     * version is later than the one it follows. Versions are ordered by (epoch, version), so a
     * member never goes back to an earlier leader's configuration.
     *
     * <p>The hash is checked here: a message whose {@code sha256} is not the SHA-256 of
     * {@code dhcp4Json} cannot be built, so a transport refuses it as malformed.
     *
     * @param from the leader
     * @param epoch the leader's epoch, the first half of the configuration's version
     * @param version the second half: counts the configurations the leader offered in {@code epoch}, from 1
     * @param sha256 the SHA-256 of {@code dhcp4Json}'s UTF-8 bytes, 64 lower-case hex digits
     * @param dhcp4Json the leader's {@code Dhcp4} section in canonical form: compact JSON, keys sorted
     */
    record ServerConfigOffer(NodeId from, long epoch, long version, String sha256, String dhcp4Json)
            implements PeerMessage {
        public ServerConfigOffer {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(dhcp4Json, "dhcp4Json");
            if (epoch < 1) {
                throw new IllegalArgumentException("a configuration is offered by the leader of an epoch from 1, not "
                        + epoch);
            }
            if (version < 1) {
                throw new IllegalArgumentException("a configuration version counts from 1, not " + version);
            }
            if (!sha256.equals(sha256(dhcp4Json))) {
                throw new IllegalArgumentException("sha256 " + (sha256.length() > 64 ? sha256.substring(0, 64) + "..." : sha256)
                        + " is not the hash of the " + dhcp4Json.length() + " characters offered");
            }
        }

        /** The version as an operator reads it: {@code 4.1} for version 1 of epoch 4. */
        public String label() {
            return epoch + "." + version;
        }

        /** True if this offer's version is later than {@code other}'s: a later epoch, or a later version in it. */
        public boolean isAfter(ServerConfigOffer other) {
            return epoch != other.epoch ? epoch > other.epoch : version > other.version;
        }

        /** The SHA-256 of {@code text}'s UTF-8 bytes, as 64 lower-case hex digits. */
        public static String sha256(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        /** Names the configuration by its version, hash and length, not its whole text. */
        @Override
        public String toString() {
            return "ServerConfigOffer[from=" + from + ", epoch=" + epoch + ", version=" + version + ", sha256="
                    + sha256 + ", dhcp4Json=(" + dhcp4Json.length() + " characters)]";
        }
    }

    /**
     * "Send me the next page of your leases": sent by a node that lost its lease store, while it
     * catches up, to each peer it reads a snapshot from, and again if the page does not come. The
     * peer answers with a {@link SnapshotPage} of its leases in address order after {@code after},
     * at most {@code pageSize} of them (fewer if it caps the page lower); a peer that is catching up
     * itself answers nothing, since its own snapshot is not complete.
     *
     * @param from the node that catches up
     * @param epoch the epoch it speaks in
     * @param after the last address of the previous page; empty for the first page
     * @param pageSize the most leases the page may hold, at least 1
     */
    record SnapshotRequest(NodeId from, long epoch, Optional<Ipv4Address> after, int pageSize) implements PeerMessage {
        public SnapshotRequest {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(after, "after");
            requireEpoch(epoch);
            if (pageSize < 1) {
                throw new IllegalArgumentException("a page holds at least one lease, not " + pageSize);
            }
        }
    }

    /**
     * "These are my leases after {@code after}": the answer to a {@link SnapshotRequest}, the newest
     * lease the peer holds of each address, in strictly ascending address order, every address
     * above {@code after}. The next request names the last address of this page.
     *
     * @param from the peer that serves the snapshot
     * @param epoch the epoch the peer speaks in
     * @param after the {@code after} of the request this page answers, echoed
     * @param leases the page, in strictly ascending address order, each address above {@code after}
     * @param last true if no lease follows this page: the snapshot is complete
     */
    record SnapshotPage(NodeId from, long epoch, Optional<Ipv4Address> after, List<Lease> leases, boolean last)
            implements PeerMessage {
        public SnapshotPage {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(after, "after");
            requireEpoch(epoch);
            leases = List.copyOf(leases);
            Ipv4Address previous = after.orElse(null);
            for (Lease lease : leases) {
                if (previous != null && lease.address().compareTo(previous) <= 0) {
                    throw new IllegalArgumentException("a snapshot page lists " + lease.address() + " after "
                            + previous + ": its addresses must ascend, each above " + after.map(String::valueOf)
                                    .orElse("nothing"));
                }
                previous = lease.address();
            }
            if (!last && leases.isEmpty()) {
                throw new IllegalArgumentException("an empty snapshot page is the last one");
            }
        }
    }

    /**
     * "This is where I stand": sent by a node to every observer connected to it (a relay agent
     * that routes each client to the node that serves it), each heartbeat interval and at once
     * when the observer connects. It is never sent to a member, and an observer sends nothing
     * back: it only watches.
     *
     * @param from the node
     * @param epoch the highest epoch the node has acknowledged (0 before any)
     * @param leader the node it acknowledged as leader of that epoch; empty before any
     * @param assignmentEpoch the epoch of the assignment's version below (0 before any)
     * @param sequence the sequence of that version (0 before any)
     * @param buckets the holder of each held bucket (0 to 255) in the latest assignment the node
     *     accepted, or, while it leads, committed; a bucket between two holders is absent
     * @param live the members the node hears now, itself included
     * @param heartbeatInterval how often the node sends this view
     * @param failureTimeout how long the cluster lets a member stay silent before counting it
     *     gone: an observer that has heard nothing from the node for that long counts it gone too
     */
    record ObserverView(NodeId from, long epoch, Optional<NodeId> leader, long assignmentEpoch, long sequence,
            SortedMap<Integer, NodeId> buckets, Set<NodeId> live, Duration heartbeatInterval, Duration failureTimeout)
            implements PeerMessage {
        public ObserverView {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(leader, "leader");
            Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
            Objects.requireNonNull(failureTimeout, "failureTimeout");
            requireEpoch(epoch);
            requireEpoch(assignmentEpoch);
            requireEpoch(sequence);
            if (leader.isPresent() != (epoch > 0)) {
                throw new IllegalArgumentException("epoch " + epoch + " and leader " + leader + " disagree: "
                        + "epoch 0 has no leader and every later epoch has one");
            }
            if ((assignmentEpoch == 0) != (sequence == 0)) {
                throw new IllegalArgumentException("an assignment version is (0, 0) or two positive numbers, not ("
                        + assignmentEpoch + ", " + sequence + ")");
            }
            buckets = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(buckets, "buckets")));
            buckets.forEach((bucket, holder) -> {
                if (bucket < 0 || bucket > 255) {
                    throw new IllegalArgumentException("a bucket is 0 to 255, not " + bucket);
                }
                Objects.requireNonNull(holder, "holder");
            });
            if (assignmentEpoch == 0 && !buckets.isEmpty()) {
                throw new IllegalArgumentException("the assignment of version (0, 0) holds nothing");
            }
            live = Collections.unmodifiableSet(new TreeSet<>(Objects.requireNonNull(live, "live")));
            if (!live.contains(from)) {
                throw new IllegalArgumentException(from + " does not count itself among the live members " + live);
            }
            if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
                throw new IllegalArgumentException("a heartbeat interval is positive, not " + heartbeatInterval);
            }
            if (failureTimeout.compareTo(heartbeatInterval) < 0) {
                throw new IllegalArgumentException("the failure timeout " + failureTimeout
                        + " is shorter than the heartbeat interval " + heartbeatInterval);
            }
        }
    }

    private static void requireEpoch(long epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("an epoch is never negative, not " + epoch);
        }
    }
}
