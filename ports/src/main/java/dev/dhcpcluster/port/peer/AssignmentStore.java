package dev.dhcpcluster.port.peer;

import java.util.Optional;

/**
 * Outbound port: keeps the latest assignment a member accepted from a leader on stable storage,
 * so that an assignment a majority acknowledged survives any crash of a minority, and a new
 * leader, which asks the majority that elected it, never forgets it.
 *
 * <p>Persist before acknowledging: a member calls {@link #save} and only once it returned tells
 * the leader it accepted the assignment. The leader does the same with its own proposal before
 * counting itself. Calls come from the application thread, at most once per change of the
 * assignment, so a store may do its I/O inline.
 */
public interface AssignmentStore {

    /**
     * The assignment saved last, or empty if none was ever saved.
     *
     * @throws VoteStoreException if the stored assignment cannot be read; the node must not start
     */
    Optional<AssignmentRecord> load();

    /**
     * Replaces the stored assignment with {@code assignment} and returns once it is on stable
     * storage. A crash at any moment leaves either the old assignment or the new one, never a mix.
     *
     * @throws VoteStoreException if it could not be made durable (the peer stores share that one
     *     failure type); the stored assignment is then the old one, and the caller must not
     *     acknowledge the new one
     */
    void save(AssignmentRecord assignment);
}
