package dev.dhcpcluster.port.peer;

import java.util.Optional;

/**
 * Outbound port: keeps a node's latest {@link Vote} on stable storage, so that a node that
 * restarts never acknowledges an epoch lower than one it acknowledged before, nor a second leader
 * for an epoch it already acknowledged.
 *
 * <p>The election calls {@link #save} before it tells anyone of the vote: a vote that was sent
 * was durable first. Calls come from the application thread, rarely (once per election), so a
 * store may do its I/O inline.
 */
public interface VoteStore {

    /**
     * The vote saved last, or empty if none was ever saved.
     *
     * @throws VoteStoreException if the stored vote cannot be read; a node must not start then,
     *     since it cannot know which epochs it may acknowledge
     */
    Optional<Vote> load();

    /**
     * Replaces the stored vote with {@code vote} and returns once it is on stable storage. A crash
     * at any moment leaves either the old vote or the new one, never neither and never a mix.
     *
     * @throws VoteStoreException if the vote could not be made durable; the stored vote is then
     *     the old one, and the caller must not act on the new one
     */
    void save(Vote vote);
}
