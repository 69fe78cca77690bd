package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.ManualScheduler;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerRefusal;
import dev.dhcpcluster.port.telemetry.ElectionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingClusterEventsTest {

    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final Ipv4Address SUBNET = Ipv4Address.parse("198.18.0.0");

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler time = new ManualScheduler(clock);
    private final LoggingClusterEvents events = new LoggingClusterEvents(clock, time, INTERVAL);
    private final Logger logger = (Logger) LoggerFactory.getLogger("dhcpcluster.events");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Level previousLevel;

    @BeforeEach
    void capture() {
        previousLevel = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
    }

    @Test
    void countsEachTypeAndReasonApart() {
        events.requestReceived(DhcpMessageType.DISCOVER);
        events.requestReceived(DhcpMessageType.DISCOVER);
        events.requestReceived(DhcpMessageType.REQUEST);
        events.replySent(DhcpMessageType.OFFER);
        events.dropped(DropReason.NO_SUBNET, "giaddr 198.19.0.1");
        events.leaseBound(lease());

        EventCounts counts = events.counts();
        assertEquals(2, counts.requests(DhcpMessageType.DISCOVER));
        assertEquals(1, counts.requests(DhcpMessageType.REQUEST));
        assertEquals(0, counts.requests(DhcpMessageType.INFORM));
        assertEquals(1, counts.replies(DhcpMessageType.OFFER));
        assertEquals(1, counts.drops(DropReason.NO_SUBNET));
        assertEquals(1, counts.leasesBound());
    }

    @Test
    void aBoundLeaseIsLoggedAtDebug() {
        events.leaseBound(lease());

        assertEquals(List.of(Level.DEBUG), levels());
        assertTrue(messages().get(0).contains("198.18.1.5"), messages().get(0));
    }

    @Test
    @DisplayName("each election step is one info line and counted by kind")
    void electionStepsAreOneLineEach() {
        events.election(new ElectionEvent(ElectionEvent.Kind.ELECTION_STARTED, 3, Optional.empty(), "leader lost"));
        events.election(new ElectionEvent(ElectionEvent.Kind.LEADING, 4, Optional.of(new NodeId(3)),
                "2 of 3 members acknowledged epoch 4"));

        assertEquals(List.of(Level.INFO, Level.INFO), levels());
        assertEquals("election: election started in epoch 3, leader none: leader lost", messages().get(0));
        assertEquals("election: leading in epoch 4, leader 3: 2 of 3 members acknowledged epoch 4", messages().get(1));
        assertEquals(1, events.clusterCounts().elections(ElectionEvent.Kind.LEADING));
        assertEquals(0, events.clusterCounts().elections(ElectionEvent.Kind.FOLLOWING));
    }

    @Test
    @DisplayName("peers connecting and leaving are logged at info; a refusal at warn once per interval and reason, its detail escaped, every one counted")
    void peerEventsAreLoggedAndRefusalsEscaped() {
        events.peerConnected(new NodeId(2));
        events.peerDisconnected(new NodeId(2), "closed by the peer");
        String forged = "bad hello\n2030-01-01 INFO events: peer 9 connected";
        events.peerRefused(PeerRefusal.WRONG_SECRET, "127.0.0.9:4000", forged);
        events.peerRefused(PeerRefusal.WRONG_SECRET, "127.0.0.9:4001", "\u001b[31mred");
        events.peerRefused(PeerRefusal.OVERSIZED_FRAME, "127.0.0.9:4002", "length 2147483647");

        assertEquals(List.of(Level.INFO, Level.INFO, Level.WARN, Level.DEBUG, Level.WARN), levels());
        assertEquals("peer 2 connected", messages().get(0));
        assertEquals("peer 2 disconnected: closed by the peer", messages().get(1));
        assertTrue(messages().get(2).startsWith("peer refused (WRONG_SECRET): 127.0.0.9:4000: bad hello\\n2030"),
                messages().get(2));
        assertTrue(messages().get(3).contains("\\x1B[31mred"), messages().get(3));
        messages().forEach(message -> assertTrue(message.chars().noneMatch(c -> c < 0x20), message));
        LoggingClusterEvents.ClusterCounts counts = events.clusterCounts();
        assertEquals(2, counts.refusals(PeerRefusal.WRONG_SECRET));
        assertEquals(1, counts.refusals(PeerRefusal.OVERSIZED_FRAME));
        assertEquals(1, counts.connected());
        assertEquals(1, counts.disconnected());
    }

    @Test
    void aRefusedHostNameIsCountedAndLoggedEscapedOncePerIntervalAtInfo() {
        String forged = "x\n2030-01-01 INFO fake: node stopped";
        events.hostnameRefused(12, forged);
        events.hostnameRefused(81, "\u001b[31mred");

        assertEquals(2, events.counts().hostnamesRefused());
        assertEquals(List.of(Level.INFO, Level.DEBUG), levels());
        assertTrue(messages().get(0).contains("option 12 \"x\\n2030-01-01 INFO fake: node stopped\""), messages().get(0));
        assertTrue(messages().get(1).contains("option 81 \"\\x1B[31mred\""), messages().get(1));
        messages().forEach(message -> assertTrue(message.chars().noneMatch(c -> c < 0x20), message));
    }

    @Test
    void clientTextInABoundLeaseOrADropDetailIsEscaped() {
        HardwareAddress mac = HardwareAddress.parseEthernet("02:00:00:00:00:05");
        events.leaseBound(new Lease(Ipv4Address.parse("198.18.1.5"), ClientKey.ofHardware(mac), mac,
                Optional.of("old\nINFO fake: node stopped"), LeaseState.BOUND, Instant.ofEpochSecond(2_000_000),
                new LeaseVersion(LeaseVersion.NO_EPOCH, 1, new NodeId(1))));
        events.dropped(DropReason.UNKNOWN_CLIENT, "circuit-id \"a\r\nINFO fake\"");
        events.dropped(DropReason.MALFORMED, "bad\u001b[2J");

        assertEquals(3, messages().size());
        messages().forEach(message -> assertTrue(message.chars().noneMatch(c -> c < 0x20), message));
        assertTrue(messages().get(0).contains("old\\nINFO fake: node stopped"), messages().get(0));
    }

    @Test
    void aDeclinedAddressIsLoggedAtWarn() {
        events.addressDeclined(lease());

        assertEquals(List.of(Level.WARN), levels());
        assertTrue(messages().get(0).startsWith("address 198.18.1.5 declined"), messages().get(0));
        assertEquals(1, events.counts().addressesDeclined());
    }

    @Test
    void anExhaustedPoolWarnsOncePerIntervalButCountsEveryTime() {
        events.poolExhausted(SUBNET, 16);
        events.poolExhausted(SUBNET, 16);
        time.advance(INTERVAL.minusSeconds(1));
        events.poolExhausted(SUBNET, 16);
        assertEquals(1, levels().size());

        time.advance(Duration.ofSeconds(1));
        events.poolExhausted(SUBNET, 16);

        assertEquals(List.of(Level.WARN, Level.WARN), levels());
        assertEquals(4, events.counts().poolExhaustions());
    }

    @Test
    void aFloodOfExhaustionDropsIsCountedWithOneWarningAndNoOtherLineAboveDebug() {
        for (int i = 0; i < 1000; i++) {
            events.dropped(DropReason.POOL_EXHAUSTED, "no free address in 198.18.0.0/16");
            if (i % 100 == 0) {
                events.poolExhausted(SUBNET, 16);
            }
        }

        EventCounts counts = events.counts();
        assertEquals(1000, counts.drops(DropReason.POOL_EXHAUSTED));
        assertEquals(0, counts.drops(DropReason.MALFORMED));
        assertEquals(10, counts.poolExhaustions());
        List<ILoggingEvent> aboveDebug = appender.list.stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(Level.INFO)).toList();
        assertEquals(1, aboveDebug.size(), messages().toString());
        assertEquals(Level.WARN, aboveDebug.get(0).getLevel());
        assertEquals("pool of 198.18.0.0/16 exhausted: a new client got no address (not repeated for 60 s)",
                aboveDebug.get(0).getFormattedMessage());
    }

    @Test
    void eachSubnetHasItsOwnWarningInterval() {
        events.poolExhausted(SUBNET, 16);
        events.poolExhausted(Ipv4Address.parse("198.19.0.0"), 24);

        assertEquals(2, levels().size());
    }

    @Test
    void malformedDatagramsAreSummarizedOncePerInterval() {
        for (int i = 0; i < 5; i++) {
            events.dropped(DropReason.MALFORMED, "truncated header");
        }
        assertEquals(5, levels().stream().filter(Level.DEBUG::equals).count());

        time.advance(INTERVAL);

        ILoggingEvent summary = appender.list.get(appender.list.size() - 1);
        assertEquals(Level.INFO, summary.getLevel());
        assertEquals("dropped 5 malformed datagrams in the last 60 s", summary.getFormattedMessage());
        assertEquals(5, events.counts().drops(DropReason.MALFORMED));
    }

    @Test
    void noSummaryWithoutMalformedDatagrams() {
        events.dropped(DropReason.MALFORMED, "bad cookie");
        time.advance(INTERVAL);
        int logged = appender.list.size();

        time.advance(INTERVAL.multipliedBy(3));

        assertEquals(logged, appender.list.size());
        assertEquals(0, time.pending());
    }

    @Test
    void storeCommitsAreCountedWithTheirBatchSizesLatenciesAndBacklog() {
        events.storeCommitted(3, Duration.ofMillis(10), 5);
        events.storeCommitted(7, Duration.ofMillis(30), 0);
        events.storeCommitted(2, Duration.ofMillis(5), 1);

        EventCounts.StoreCounts store = events.counts().store();
        assertEquals(3, store.commits());
        assertEquals(12, store.changesCommitted());
        assertEquals(2, store.lastBatch());
        assertEquals(7, store.maxBatch());
        assertEquals(Duration.ofMillis(45), store.commitLatencyTotal());
        assertEquals(Duration.ofMillis(30), store.commitLatencyMax());
        assertEquals(Duration.ofMillis(15), store.averageCommitLatency());
        assertEquals(4.0, store.averageBatch());
        assertEquals(1, store.pending());
        assertEquals(List.of(), levels(), "a commit is not worth a log line");
    }

    @Test
    void everyCommitIsHandedToTheObserverWithItsBatchSizeAndLatency() {
        List<String> observed = new ArrayList<>();
        LoggingClusterEvents observedEvents = new LoggingClusterEvents(clock, time, INTERVAL,
                (changes, latency) -> observed.add(changes + " in " + latency.toMillis() + " ms"));

        observedEvents.storeCommitted(3, Duration.ofMillis(10), 5);
        observedEvents.storeFailed("disk full", 4);
        observedEvents.storeCommitted(7, Duration.ofMillis(30), 0);

        assertEquals(List.of("3 in 10 ms", "7 in 30 ms"), observed, "commits, not failures");
        assertEquals(2, observedEvents.counts().store().commits());
    }

    @Test
    void aFailedCommitWarnsWithItsCauseOncePerIntervalButCountsEveryTime() {
        events.storeFailed("could not commit 4 lease changes to leases.db: database or disk is full", 9);
        events.storeFailed("could not commit 9 lease changes to leases.db: database or disk is full", 12);
        time.advance(INTERVAL);
        events.storeFailed("could not commit 12 lease changes to leases.db: disk I/O error", 3);

        assertEquals(List.of(Level.WARN, Level.WARN), levels());
        assertTrue(messages().get(0).contains("database or disk is full"), messages().get(0));
        assertTrue(messages().get(0).contains("9 changes waiting"), messages().get(0));
        assertTrue(messages().get(1).contains("disk I/O error"), messages().get(1));
        assertEquals(3, events.counts().store().failures());
        assertEquals(3, events.counts().store().pending());
    }

    @Test
    void theFirstCommitAfterFailuresIsLoggedOnce() {
        events.storeFailed("database or disk is full", 1);
        events.storeFailed("database or disk is full", 2);

        events.storeCommitted(2, Duration.ofMillis(3), 0);
        events.storeCommitted(1, Duration.ofMillis(3), 0);

        assertEquals(List.of(Level.WARN, Level.INFO), levels());
        assertEquals("lease store commits succeed again, after 2 failed commits", messages().get(1));
    }

    private List<Level> levels() {
        return appender.list.stream().map(ILoggingEvent::getLevel).toList();
    }

    private List<String> messages() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static Lease lease() {
        HardwareAddress mac = HardwareAddress.parseEthernet("02:00:00:00:00:05");
        return new Lease(Ipv4Address.parse("198.18.1.5"), ClientKey.ofHardware(mac), mac, Optional.empty(),
                LeaseState.BOUND, Instant.ofEpochSecond(2_000_000),
                new LeaseVersion(LeaseVersion.NO_EPOCH, 1, new NodeId(1)));
    }
}
