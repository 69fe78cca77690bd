package dev.dhcpcluster.core.testing;

import dev.dhcpcluster.port.peer.Vote;
import dev.dhcpcluster.port.peer.VoteStore;
import dev.dhcpcluster.port.peer.VoteStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link VoteStore} in memory that remembers every save and can be made to fail. Each save is
 * also told to an optional log, to be seen in order with other effects. Not thread-safe.
 */
public final class MemoryVoteStore implements VoteStore {

    /** One successful save, as the log sees it. */
    public record Saved(Vote vote) {
        @Override
        public String toString() {
            return "save " + vote;
        }
    }

    private final List<Vote> saves = new ArrayList<>();
    private final Consumer<Object> log;
    private Vote vote;
    private boolean failing;

    public MemoryVoteStore() {
        this(entry -> { });
    }

    public MemoryVoteStore(Consumer<Object> log) {
        this.log = log;
    }

    /** A store that holds {@code vote} already, as after a restart. */
    public MemoryVoteStore holding(Vote vote) {
        this.vote = vote;
        return this;
    }

    /** Every save throws from now on ({@code true}), or works again. */
    public void failing(boolean failing) {
        this.failing = failing;
    }

    @Override
    public Optional<Vote> load() {
        return Optional.ofNullable(vote);
    }

    @Override
    public void save(Vote next) {
        if (failing) {
            throw new VoteStoreException("the disk is full");
        }
        vote = next;
        saves.add(next);
        log.accept(new Saved(next));
    }

    /** Every vote saved, in order. */
    public List<Vote> saves() {
        return List.copyOf(saves);
    }
}
