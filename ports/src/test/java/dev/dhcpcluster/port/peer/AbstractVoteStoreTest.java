package dev.dhcpcluster.port.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dhcpcluster.port.model.NodeId;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link VoteStore}: every store runs these tests through a subclass that says how
 * to open one, and how to open a second over the same medium, as a node that restarts does.
 */
public abstract class AbstractVoteStoreTest {

    private static final NodeId TWO = new NodeId(2);
    private static final NodeId THREE = new NodeId(3);

    /** A new store over an empty medium. */
    protected abstract VoteStore newStore() throws Exception;

    /** A new store over the same medium as {@code earlier}, as after a restart. */
    protected abstract VoteStore reopen(VoteStore earlier) throws Exception;

    @Test
    @DisplayName("a store that never saved a vote loads none")
    void emptyStoreLoadsNothing() throws Exception {
        assertEquals(Optional.empty(), newStore().load());
    }

    @Test
    @DisplayName("a saved vote is loaded back")
    void savedVoteLoads() throws Exception {
        VoteStore store = newStore();
        store.save(new Vote(7, THREE));
        assertEquals(Optional.of(new Vote(7, THREE)), store.load());
    }

    @Test
    @DisplayName("a later save replaces the earlier vote")
    void laterSaveReplaces() throws Exception {
        VoteStore store = newStore();
        store.save(new Vote(7, THREE));
        store.save(new Vote(8, TWO));
        assertEquals(Optional.of(new Vote(8, TWO)), store.load());
    }

    @Test
    @DisplayName("a restarted node finds the last vote it saved")
    void voteOutlivesTheStore() throws Exception {
        VoteStore store = newStore();
        store.save(new Vote(1, TWO));
        store.save(new Vote(Long.MAX_VALUE, THREE));
        assertEquals(Optional.of(new Vote(Long.MAX_VALUE, THREE)), reopen(store).load());
    }

    @Test
    @DisplayName("a restarted node that never voted finds no vote")
    void noVoteOutlivesTheStore() throws Exception {
        VoteStore store = newStore();
        assertEquals(Optional.empty(), reopen(store).load());
    }
}
