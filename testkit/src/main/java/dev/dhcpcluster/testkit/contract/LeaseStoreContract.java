package dev.dhcpcluster.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.HostNameSent;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link LeaseStore}: every store, built in or an integrator's, runs these tests
 * through a subclass that says how to open one.
 *
 * <p>A durable store also says how to open a second store over the same medium after the first
 * has been closed ({@link #reopen}); the tests that prove persistence are skipped, visibly, for a
 * volatile store.
 */
public abstract class LeaseStoreContract {

    private static final Ipv4Address A = Ipv4Address.parse("198.18.0.10");
    private static final Ipv4Address B = Ipv4Address.parse("198.18.0.11");
    private static final Ipv4Address C = Ipv4Address.parse("198.19.255.254");

    /** The highest version there is. */
    private static final LeaseVersion HIGHEST = new LeaseVersion(Long.MAX_VALUE, Long.MAX_VALUE,
            new NodeId(Integer.MAX_VALUE));

    private final List<LeaseStore> opened = new ArrayList<>();

    /**
     * A new, empty store, ready to write: loaded already ({@link LeaseStore#loadAll}) if it opens its
     * medium there, since the contract writes to it before it reads. The test closes it.
     */
    protected abstract LeaseStore newStore() throws Exception;

    /**
     * A new store over the same medium as {@code closed}, which the test has closed; or empty for
     * a volatile store, whose leases do not outlive it.
     */
    protected abstract Optional<LeaseStore> reopen(LeaseStore closed) throws Exception;

    @AfterEach
    void closeEveryStore() {
        opened.forEach(LeaseStore::close);
    }

    @Test
    void emptyStoreLoadsNothing() throws Exception {
        assertEquals(List.of(), open().loadAll());
    }

    @Test
    void writtenLeasesLoadBackEqual() throws Exception {
        LeaseStore store = open();
        List<Lease> leases = variedLeases();

        assertDurable(write(store, leases));

        assertEquals(byAddress(leases), byAddress(store.loadAll()));
    }

    @Test
    void hostNameSentLoadsBackByteForByte() throws Exception {
        LeaseStore store = open();
        byte[] hostile = {'x', '\n', 0x1b, '[', '3', '1', 'm', 0, (byte) 0xff, (byte) 0xc3, '\r', '"', '\\', ' '};
        Lease withHostile = withSent(lease(A, 1, LeaseState.BOUND), hostile);
        Lease withEmpty = withSent(lease(B, 1, LeaseState.BOUND), new byte[0]);
        Lease withoutName = lease(C, 1, LeaseState.BOUND);

        assertDurable(write(store, List.of(withHostile, withEmpty, withoutName)));

        List<Lease> loaded = byAddress(store.loadAll());
        assertEquals(byAddress(List.of(withHostile, withEmpty, withoutName)), loaded);
        assertArrayEquals(hostile, loaded.get(0).hostnameSent().orElseThrow().octets());
        assertEquals(Optional.of(0), loaded.get(1).hostnameSent().map(HostNameSent::length),
                "an empty name is kept, not turned into none");
        assertEquals(Optional.empty(), loaded.get(2).hostnameSent());
    }

    @Test
    void higherVersionWithoutHostNameSentDropsTheStoredOne() throws Exception {
        LeaseStore store = open();
        assertDurable(write(store, List.of(withSent(lease(A, 1, LeaseState.BOUND), new byte[] {'a'}))));

        assertDurable(write(store, List.of(lease(A, 2, LeaseState.BOUND))));

        assertEquals(List.of(lease(A, 2, LeaseState.BOUND)), store.loadAll());
    }

    @Test
    void higherVersionReplacesTheStoredLease() throws Exception {
        LeaseStore store = open();
        assertDurable(write(store, List.of(lease(A, 3, LeaseState.BOUND))));
        Lease newer = lease(A, 4, LeaseState.RELEASED);

        assertDurable(write(store, List.of(newer)));

        assertEquals(List.of(newer), store.loadAll());
    }

    @Test
    void lowerOrEqualVersionDoesNotReplaceTheStoredLease() throws Exception {
        LeaseStore store = open();
        Lease stored = lease(A, 5, LeaseState.BOUND);
        assertDurable(write(store, List.of(stored)));

        assertDurable(write(store, List.of(lease(A, 4, LeaseState.RELEASED))));
        assertDurable(write(store, List.of(lease(A, 5, LeaseState.DECLINED))));

        assertEquals(List.of(stored), store.loadAll());
    }

    @Test
    void aHigherEpochWinsOverAHigherCounter() throws Exception {
        LeaseStore store = open();
        Lease newerEpoch = lease(A, version(4, 2, 1), LeaseState.RELEASED);
        assertDurable(write(store, List.of(lease(A, version(3, 90, 3), LeaseState.BOUND))));

        assertDurable(write(store, List.of(newerEpoch)));
        assertDurable(write(store, List.of(lease(A, version(3, 91, 3), LeaseState.BOUND))));

        assertEquals(List.of(newerEpoch), store.loadAll());
    }

    @Test
    void withinAnEpochTheHigherCounterWinsWhoeverWroteIt() throws Exception {
        LeaseStore store = open();
        assertDurable(write(store, List.of(lease(A, version(2, 7, 3), LeaseState.BOUND))));
        Lease higherCounter = lease(A, version(2, 8, 1), LeaseState.EXPIRED);

        assertDurable(write(store, List.of(higherCounter)));

        assertEquals(List.of(higherCounter), store.loadAll());
    }

    @Test
    void aLowerVersionArrivingAfterAHigherIsIgnoredAndCompletesDurable() throws Exception {
        LeaseStore store = open();
        Lease higher = lease(A, version(5, 3, 2), LeaseState.BOUND);
        assertDurable(write(store, List.of(higher)));

        // Each lower in one part: epoch, counter, writer. The store already holds a newer version
        // durably, so each write is complete as it stands: it reports durable, not failed.
        assertDurable(write(store, List.of(lease(A, version(4, 9, 3), LeaseState.RELEASED))));
        assertDurable(write(store, List.of(lease(A, version(5, 2, 3), LeaseState.RELEASED))));
        assertDurable(write(store, List.of(lease(A, version(5, 3, 1), LeaseState.RELEASED))));

        assertEquals(List.of(higher), store.loadAll());
    }

    @Test
    void theWriterIdBreaksATieOfEpochAndCounterWhateverTheOrderOfArrival() throws Exception {
        LeaseStore first = open();
        LeaseStore second = open();
        Lease byOne = lease(A, version(2, 7, 1), LeaseState.BOUND);
        Lease byTwo = lease(A, version(2, 7, 2), LeaseState.RELEASED);

        assertDurable(write(first, List.of(byOne)));
        assertDurable(write(first, List.of(byTwo)));
        assertDurable(write(second, List.of(byTwo)));
        assertDurable(write(second, List.of(byOne)));

        assertEquals(List.of(byTwo), first.loadAll());
        assertEquals(List.of(byTwo), second.loadAll());
    }

    @Test
    void theHighestVersionWinsInsideOneBatchAcrossEpochsAndWriters() throws Exception {
        LeaseStore store = open();
        Lease highest = lease(A, version(3, 1, 1), LeaseState.DECLINED);

        // Lower versions before and after the highest, and one equal to it after it, which does not replace it.
        assertDurable(write(store, List.of(lease(A, version(2, 50, 3), LeaseState.BOUND), highest,
                lease(A, version(2, 51, 3), LeaseState.RELEASED), lease(A, version(3, 1, 1), LeaseState.BOUND))));

        assertEquals(List.of(highest), store.loadAll());
    }

    @Test
    void highestVersionWinsInsideOneBatch() throws Exception {
        LeaseStore store = open();
        Lease highestA = lease(A, 9, LeaseState.BOUND);
        Lease highestB = lease(B, 2, LeaseState.EXPIRED);

        assertDurable(write(store, List.of(
                lease(A, 1, LeaseState.BOUND), highestA, lease(A, 8, LeaseState.RELEASED),
                lease(B, 1, LeaseState.BOUND), highestB)));

        assertEquals(byAddress(List.of(highestA, highestB)), byAddress(store.loadAll()));
    }

    @Test
    void storeHoldsOneLeasePerAddress() throws Exception {
        LeaseStore store = open();
        for (int version = 1; version <= 5; version++) {
            assertDurable(write(store, List.of(lease(A, version, LeaseState.BOUND), lease(B, version, LeaseState.BOUND))));
        }

        List<Lease> loaded = byAddress(store.loadAll());

        assertEquals(List.of(lease(A, 5, LeaseState.BOUND), lease(B, 5, LeaseState.BOUND)), loaded);
    }

    @Test
    void completionIsCalledExactlyOnceWithDurable() throws Exception {
        LeaseStore store = open();
        RecordingCompletion completion = write(store, List.of(lease(A, 1, LeaseState.BOUND)));
        completion.await();

        // close() completes every accepted write, so a late second call would have happened by now.
        store.close();

        assertEquals(1, completion.durableCalls.get(), "durable() calls");
        assertEquals(0, completion.failedCalls.get(), "failed() calls");
    }

    @Test
    void emptyBatchCompletesDurable() throws Exception {
        LeaseStore store = open();

        RecordingCompletion completion = write(store, List.of());

        assertDurable(completion);
        store.close();
        assertEquals(1, completion.durableCalls.get(), "durable() calls");
        assertEquals(0, completion.failedCalls.get(), "failed() calls");
    }

    @Test
    void batchesWrittenFromOneThreadApplyInOrder() throws Exception {
        LeaseStore store = open();
        // Without waiting in between. Equal versions do not replace, so if the batches were
        // applied out of order the second write of version 1 (RELEASED) would win.
        List<RecordingCompletion> completions = new ArrayList<>();
        Lease first = lease(A, 1, LeaseState.BOUND);
        completions.add(write(store, List.of(first)));
        completions.add(write(store, List.of(lease(A, 1, LeaseState.RELEASED))));
        List<Lease> bs = new ArrayList<>();
        for (int version = 1; version <= 20; version++) {
            Lease b = lease(B, version, version % 2 == 0 ? LeaseState.BOUND : LeaseState.EXPIRED);
            bs.add(b);
            completions.add(write(store, List.of(b)));
        }

        for (RecordingCompletion completion : completions) {
            assertDurable(completion);
        }

        assertEquals(List.of(first, bs.get(bs.size() - 1)), byAddress(store.loadAll()));
    }

    @Test
    void closeCompletesEveryAcceptedWrite() throws Exception {
        LeaseStore store = open();
        List<RecordingCompletion> completions = new ArrayList<>();
        for (int version = 1; version <= 10; version++) {
            completions.add(write(store, List.of(lease(A, version, LeaseState.BOUND))));
        }

        store.close();

        for (RecordingCompletion completion : completions) {
            assertEquals(1, completion.durableCalls.get(),
                    "every write accepted before close() is durable by the time close() returns");
            assertEquals(0, completion.failedCalls.get(), "failed() calls");
        }
    }

    @Test
    void writeAfterCloseFailsThroughTheCompletion() throws Exception {
        LeaseStore store = open();
        store.close();

        RecordingCompletion completion = write(store, List.of(lease(A, 1, LeaseState.BOUND)));

        completion.await();
        assertEquals(0, completion.durableCalls.get(), "durable() calls");
        assertEquals(1, completion.failedCalls.get(), "failed() calls");
        assertInstanceOf(LeaseStoreException.class, completion.failure.get());
    }

    @Test
    void anOpenStoreProvesItCanCommitAndChangesNothing() throws Exception {
        LeaseStore store = open();
        store.loadAll();
        List<Lease> leases = variedLeases();
        assertDurable(write(store, leases));

        store.checkWritable();

        assertEquals(byAddress(leases), byAddress(store.loadAll()), "the check leaves the leases as they were");
        assertDurable(write(store, List.of(lease(A, HIGHEST, LeaseState.BOUND))));
        store.close();
        Optional<LeaseStore> reopened = reopen(store);
        if (reopened.isPresent()) {
            opened.add(reopened.get());
            List<Lease> expected = new ArrayList<>(byAddress(leases));
            expected.set(0, lease(A, HIGHEST, LeaseState.BOUND));
            assertEquals(expected, byAddress(reopened.get().loadAll()), "nothing of the check survives a reopen");
        }
    }

    @Test
    void aStoreJustOpenedProvesItCanCommit() throws Exception {
        LeaseStore store = open();
        store.loadAll();

        store.checkWritable();

        assertEquals(List.of(), store.loadAll());
    }

    @Test
    void aClosedStoreFailsTheWritableCheck() throws Exception {
        LeaseStore store = open();
        store.loadAll();
        store.close();

        assertThrows(LeaseStoreException.class, store::checkWritable);
    }

    @Test
    void closeIsIdempotent() throws Exception {
        LeaseStore store = open();
        assertDurable(write(store, List.of(lease(A, 1, LeaseState.BOUND))));

        store.close();
        store.close();

        RecordingCompletion completion = write(store, List.of(lease(A, 2, LeaseState.BOUND)));
        completion.await();
        assertEquals(1, completion.failedCalls.get(), "a write after two closes still fails");
    }

    @Test
    void leasesSurviveReopen() throws Exception {
        LeaseStore store = open();
        List<Lease> leases = variedLeases();
        assertDurable(write(store, leases));
        store.close();

        Optional<LeaseStore> reopened = reopen(store);
        assumeTrue(reopened.isPresent(), "a volatile store keeps nothing across reopen");
        opened.add(reopened.get());

        assertEquals(byAddress(leases), byAddress(reopened.get().loadAll()));
    }

    /** What a node reads at start: {@link LeaseStore#loadEach} hands over what {@code loadAll} returns, and counts it. */
    @Test
    void loadEachHandsEveryStoredLease() throws Exception {
        LeaseStore store = open();
        List<Lease> leases = variedLeases();
        assertDurable(write(store, leases));
        store.close();
        Optional<LeaseStore> reopened = reopen(store);
        LeaseStore reader;
        if (reopened.isPresent()) {
            reader = reopened.get();
            opened.add(reader);
        } else {
            // A volatile store keeps nothing across a reopen: it is read while it is open.
            reader = open();
            assertDurable(write(reader, leases));
        }

        List<Lease> handed = new ArrayList<>();
        long count = reader.loadEach(handed::add);

        assertEquals(leases.size(), count);
        assertEquals(byAddress(leases), byAddress(handed));
    }

    /**
     * A node sizes its table from {@link LeaseStore#storedCount} before {@link LeaseStore#loadEach}:
     * a store that answers must answer how many it then hands over.
     */
    @Test
    void storedCountIsWhatLoadEachThenHands() throws Exception {
        LeaseStore store = open();
        List<Lease> leases = variedLeases();
        assertDurable(write(store, leases));
        store.close();
        Optional<LeaseStore> reopened = reopen(store);
        assumeTrue(reopened.isPresent(), "a volatile store keeps nothing across reopen");
        LeaseStore reader = reopened.get();
        opened.add(reader);

        OptionalLong counted = reader.storedCount();
        long handed = reader.loadEach(lease -> { });

        if (counted.isPresent()) {
            assertEquals(handed, counted.getAsLong());
        }
        assertEquals(leases.size(), handed);
    }

    @Test
    void versionRuleHoldsAcrossReopen() throws Exception {
        LeaseStore store = open();
        Lease stored = lease(A, 7, LeaseState.BOUND);
        assertDurable(write(store, List.of(stored)));
        store.close();
        Optional<LeaseStore> reopened = reopen(store);
        assumeTrue(reopened.isPresent(), "a volatile store keeps nothing across reopen");
        LeaseStore second = reopened.get();
        opened.add(second);
        assertEquals(List.of(stored), second.loadAll());
        Lease newer = lease(B, 1, LeaseState.BOUND);

        assertDurable(write(second, List.of(lease(A, 6, LeaseState.RELEASED), newer)));

        assertEquals(byAddress(List.of(stored, newer)), byAddress(second.loadAll()));
    }

    @Test
    void writesAcceptedBeforeCloseSurviveReopen() throws Exception {
        LeaseStore store = open();
        List<RecordingCompletion> completions = new ArrayList<>();
        for (int version = 1; version <= 10; version++) {
            completions.add(write(store, List.of(lease(A, version, LeaseState.BOUND))));
        }
        store.close();
        for (RecordingCompletion completion : completions) {
            assertEquals(1, completion.durableCalls.get(), "durable() calls");
        }

        Optional<LeaseStore> reopened = reopen(store);
        assumeTrue(reopened.isPresent(), "a volatile store keeps nothing across reopen");
        opened.add(reopened.get());

        assertEquals(List.of(lease(A, 10, LeaseState.BOUND)), reopened.get().loadAll());
    }

    private LeaseStore open() throws Exception {
        LeaseStore store = newStore();
        opened.add(store);
        return store;
    }

    private static RecordingCompletion write(LeaseStore store, List<Lease> batch) {
        RecordingCompletion completion = new RecordingCompletion();
        store.write(batch, completion);
        return completion;
    }

    private static void assertDurable(RecordingCompletion completion) throws InterruptedException {
        completion.await();
        if (completion.failure.get() != null) {
            throw new AssertionError("the store reported the write failed", completion.failure.get());
        }
        assertEquals(1, completion.durableCalls.get(), "durable() calls");
    }

    private static List<Lease> byAddress(List<Lease> leases) {
        List<Lease> sorted = new ArrayList<>(leases);
        sorted.sort(Comparator.comparing(Lease::address));
        return sorted;
    }

    /**
     * Leases that exercise every field a store must keep: both kinds of client key, a hostname
     * and none, a host name sent (valid, or not even UTF-8) and none, every state, addresses above 2^31 (negative as an int), versions with every part
     * at its largest, at zero and in between. Expiries
     * have millisecond precision, as the {@code Clock} port gives them.
     */
    private static List<Lease> variedLeases() {
        HardwareAddress mac = HardwareAddress.parseEthernet("02:00:5e:10:00:01");
        return List.of(
                new Lease(A, ClientKey.ofHardware(mac), mac, Optional.of("printer-1"), LeaseState.BOUND,
                        Instant.ofEpochMilli(1_700_000_000_123L), version(0, 1, 1),
                        Optional.of(HostNameSent.of("printer-1.".getBytes(StandardCharsets.US_ASCII)))),
                new Lease(B, ClientKey.ofClientId(new byte[] {(byte) 0xff, 0, 1, 2, 3, (byte) 0x80}),
                        HardwareAddress.parseEthernet("02:00:5e:10:00:02"), Optional.of("café-ñ"), LeaseState.DECLINED,
                        Instant.ofEpochMilli(1_700_000_360_000L),
                        new LeaseVersion(Long.MAX_VALUE, Long.MAX_VALUE, new NodeId(Integer.MAX_VALUE))),
                new Lease(C, ClientKey.ofClientId("host-c".getBytes(StandardCharsets.US_ASCII)),
                        HardwareAddress.of(6, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}),
                        Optional.empty(), LeaseState.RELEASED, Instant.ofEpochMilli(0), version(7, 42, 3),
                        Optional.of(HostNameSent.of(new byte[] {'h', 'o', 's', 't', ' ', (byte) 0xe9}))),
                new Lease(Ipv4Address.parse("198.18.1.0"), ClientKey.ofHardware(mac), mac, Optional.empty(),
                        LeaseState.EXPIRED, Instant.ofEpochMilli(4_102_444_800_000L), version(0, 0, 2)));
    }

    private static Lease withSent(Lease lease, byte[] sent) {
        return new Lease(lease.address(), lease.clientKey(), lease.hardwareAddress(), lease.hostname(), lease.state(),
                lease.expiry(), lease.version(), Optional.of(HostNameSent.of(sent)));
    }

    /** A lease of a node alone: written by node 1 in no epoch, {@code counter} its version's counter. */
    private static Lease lease(Ipv4Address address, long counter, LeaseState state) {
        return lease(address, version(LeaseVersion.NO_EPOCH, counter, 1), state);
    }

    private static Lease lease(Ipv4Address address, LeaseVersion version, LeaseState state) {
        HardwareAddress mac = HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, (byte) (address.value() >>> 8), (byte) address.value()});
        return new Lease(address, ClientKey.ofHardware(mac), mac, Optional.empty(), state,
                Instant.ofEpochMilli(1_700_000_000_000L + version.counter() * 1000), version);
    }

    private static LeaseVersion version(long epoch, long counter, int writer) {
        return new LeaseVersion(epoch, counter, new NodeId(writer));
    }
}
