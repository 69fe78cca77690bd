package dev.dhcpcluster.adapter.storage;

import static dev.dhcpcluster.adapter.storage.StoreFixtures.lease;
import static dev.dhcpcluster.adapter.storage.StoreFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.adapter.storage.StoreFixtures.ManualTime;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import dev.dhcpcluster.testkit.contract.RecordingCompletion;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How writes become transactions: grouped, in order, reported, and never lost at close. */
class SqliteGroupCommitTest {

    @TempDir
    Path directory;

    private final ManualTime time = new ManualTime();
    private final RecordingStoreEvents events = new RecordingStoreEvents();
    private final List<SqliteLeaseStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(SqliteLeaseStore::close);
    }

    @Test
    void writesThatArriveDuringACommitGoIntoTheNextTransactionTogether() throws Exception {
        SqliteLeaseStore store = openStore();
        WriterHold hold = WriterHold.on(store);
        // Five threads write while the writer is busy, as clients do while a commit syncs.
        List<RecordingCompletion> completions = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            int first = t * 10;
            Thread thread = new Thread(() -> {
                for (int i = first; i < first + 10; i++) {
                    completions.add(write(store, List.of(lease(i, 1))));
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        hold.release();

        for (RecordingCompletion completion : completions) {
            completion.awaitDurable();
        }
        // Events follow the completions on the writer thread; a read waits for both.
        assertEquals(50, store.loadAll().size());
        assertEquals(List.of(50), events.commits().stream().map(RecordingStoreEvents.Commit::changes).toList(),
                "one transaction for the fifty writes that waited");
    }

    @Test
    void concurrentClientsShareCommitsAndEveryWriteIsDurable() throws Exception {
        SqliteLeaseStore store = openStore();
        int threads = 16;
        int writesPerThread = 40;
        List<Thread> clients = new ArrayList<>();
        List<Throwable> problems = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int first = t * writesPerThread;
            Thread client = new Thread(() -> {
                try {
                    // Like a DHCP client: the next request only after the ACK of the last.
                    for (int i = first; i < first + writesPerThread; i++) {
                        write(store, List.of(lease(i, 1))).awaitDurable();
                    }
                } catch (Throwable e) {
                    problems.add(e);
                }
            });
            clients.add(client);
            client.start();
        }
        for (Thread client : clients) {
            client.join();
        }

        assertEquals(List.of(), problems);
        int writes = threads * writesPerThread;
        assertEquals(writes, store.loadAll().size());
        assertEquals(writes, events.changesCommitted());
        assertTrue(events.commits().size() < writes,
                events.commits().size() + " transactions for " + writes + " concurrent writes: no grouping");
    }

    @Test
    void writesGroupedIntoOneTransactionKeepTheOrderTheyWereWrittenIn() throws Exception {
        SqliteLeaseStore store = openStore();
        WriterHold hold = WriterHold.on(store);
        // Equal versions do not replace: the first of each version must win.
        List<RecordingCompletion> completions = List.of(
                write(store, List.of(lease(1, 1, LeaseState.BOUND, StoreFixtures.START))),
                write(store, List.of(lease(1, 1, LeaseState.RELEASED, StoreFixtures.START))),
                write(store, List.of(lease(1, 2, LeaseState.EXPIRED, StoreFixtures.START))),
                write(store, List.of(lease(1, 2, LeaseState.DECLINED, StoreFixtures.START))));

        hold.release();

        for (RecordingCompletion completion : completions) {
            completion.awaitDurable();
        }
        assertEquals(List.of(lease(1, 2, LeaseState.EXPIRED, StoreFixtures.START)), store.loadAll());
        assertEquals(1, events.commits().size(), "the four writes shared one transaction");
    }

    @Test
    void aWriterToldDurableFindsItsCommitAlreadyCounted() throws Exception {
        SqliteLeaseStore store = openStore();
        // An ACK leaves from durable(): whoever has seen it must find the commit in the counts.
        CompletableFuture<Integer> countedWhenDurable = new CompletableFuture<>();
        store.write(List.of(lease(1, 1)), new WriteCompletion() {
            @Override
            public void durable() {
                countedWhenDurable.complete(events.changesCommitted());
            }

            @Override
            public void failed(LeaseStoreException cause) {
                countedWhenDurable.completeExceptionally(cause);
            }
        });

        assertEquals(1, countedWhenDurable.get(10, TimeUnit.SECONDS));
    }

    @Test
    void loadAllSeesEveryWriteAcceptedBeforeIt() throws Exception {
        SqliteLeaseStore store = openStore();
        for (int i = 0; i < 100; i++) {
            write(store, List.of(lease(i, 1)));
        }

        assertEquals(100, store.loadAll().size());
    }

    @Test
    void eachCommitIsReportedWithItsSizeLatencyAndBacklog() throws Exception {
        SqliteLeaseStore store = openStore();

        write(store, List.of(lease(1, 1), lease(2, 1), lease(3, 1))).awaitDurable();

        // The event follows the completion on the writer thread; the next read waits for both.
        store.loadAll();
        RecordingStoreEvents.Commit commit = events.commits().get(0);
        assertEquals(3, commit.changes());
        assertTrue(commit.latency().compareTo(Duration.ZERO) > 0, "latency " + commit.latency());
        assertEquals(0, commit.pending());
    }

    @Test
    void theBacklogCountsChangesWaitingForTheWriter() throws Exception {
        SqliteLeaseStore store = openStore();
        WriterHold hold = WriterHold.on(store);
        write(store, List.of(lease(1, 1), lease(2, 1)));
        RecordingCompletion last = write(store, List.of(lease(3, 1)));

        hold.release();
        last.awaitDurable();
        store.loadAll();

        assertEquals(List.of(new RecordingStoreEvents.Commit(3, events.commits().get(0).latency(), 0)),
                events.commits());
    }

    @Test
    void closeCommitsWritesStillWaitingAndReportsThemDurable() throws Exception {
        SqliteLeaseStore store = openStore();
        WriterHold hold = WriterHold.on(store);
        List<RecordingCompletion> completions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            completions.add(write(store, List.of(lease(i, 1))));
        }
        Thread closer = new Thread(store::close);
        closer.start();
        // close() cannot finish while the writer is held, and the writes are still queued.
        assertTrue(completions.stream().allMatch(c -> c.durableCalls.get() == 0));

        hold.release();
        closer.join(TimeUnit.SECONDS.toMillis(10));

        assertTrue(!closer.isAlive(), "close() returned");
        for (RecordingCompletion completion : completions) {
            assertEquals(1, completion.durableCalls.get(), "durable before close() returned");
        }
        SqliteLeaseStore reopened = newStore(store.databaseFile());
        assertEquals(20, reopened.loadAll().size());
    }

    @Test
    void aWriteBeforeLoadAllFailsThroughItsCompletionAndStoresNothing() throws Exception {
        SqliteLeaseStore store = newStore(directory.resolve("leases.db"));

        LeaseStoreException failure = write(store, List.of(lease(1, 1))).awaitFailure();

        assertTrue(failure.getMessage().contains("is not open yet"), failure.getMessage());
        assertEquals(List.of(), store.loadAll());
    }

    @Test
    void aBatchWithAnExpiryBeyondMillisecondsIsRefusedWhole() throws Exception {
        SqliteLeaseStore store = openStore();
        Lease endless = new Lease(StoreFixtures.address(2), lease(2, 1).clientKey(), lease(2, 1).hardwareAddress(),
                lease(2, 1).hostname(), LeaseState.BOUND, Instant.MAX, lease(2, 1).version());

        LeaseStoreException failure = write(store, List.of(lease(1, 1), endless)).awaitFailure();

        assertTrue(failure.getMessage().contains("198.18.0.2"), failure.getMessage());
        assertEquals(List.of(), store.loadAll());
    }

    @Test
    void aCompletionThatThrowsDoesNotStopTheStore() throws Exception {
        SqliteLeaseStore store = openStore();
        store.write(List.of(lease(1, 1)), new WriteCompletion() {
            @Override
            public void durable() {
                throw new IllegalStateException("a careless caller");
            }

            @Override
            public void failed(LeaseStoreException cause) {
            }
        });

        write(store, List.of(lease(2, 1))).awaitDurable();

        assertEquals(2, store.loadAll().size());
    }

    @Test
    void aSecondStoreOnTheSameFileIsRefusedUntilTheFirstCloses() throws Exception {
        SqliteLeaseStore first = openStore();
        SqliteLeaseStore second = newStore(first.databaseFile());

        LeaseStoreException refused = assertThrows(LeaseStoreException.class, second::loadAll);

        assertTrue(refused.getMessage().contains("already open"), refused.getMessage());
        first.close();
        assertEquals(List.of(), second.loadAll());
    }

    private SqliteLeaseStore openStore() throws LeaseStoreException {
        SqliteLeaseStore store = newStore(directory.resolve("leases.db"));
        store.loadAll();
        return store;
    }

    private SqliteLeaseStore newStore(Path file) {
        SqliteLeaseStore store = new SqliteLeaseStore(file, time, events, Duration.ofDays(1));
        stores.add(store);
        return store;
    }

    /** Keeps the writer thread busy, so that writes queue up, until released. */
    static final class WriterHold {
        private final CountDownLatch release = new CountDownLatch(1);
        private final CompletableFuture<Void> done;

        private WriterHold(SqliteLeaseStore store) throws InterruptedException {
            CountDownLatch holding = new CountDownLatch(1);
            done = store.runOnWriter(connection -> {
                holding.countDown();
                release.await();
            });
            assertTrue(holding.await(10, TimeUnit.SECONDS), "the writer took the hold");
        }

        static WriterHold on(SqliteLeaseStore store) throws InterruptedException {
            return new WriterHold(store);
        }

        void release() throws Exception {
            release.countDown();
            done.get(10, TimeUnit.SECONDS);
        }
    }
}
