package dev.dhcpcluster.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.ManualScheduler;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final Duration NETWORK_DELAY = Duration.ofMillis(2);

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler time = new ManualScheduler(clock);
    private final FakeServer server = new FakeServer();
    private final Queue<DhcpMessage> wire = new ArrayDeque<>();
    private int inFlightPeak;
    private final Set<Integer> openTransactions = new HashSet<>();
    private final List<Ack> acks = new ArrayList<>();

    @Test
    void everyClientGetsItsOwnAddress() {
        ClientReport report = run(settings(50, 8, false, false), message -> true);

        assertTrue(report.success(), String.join("\n", report.lines()));
        assertEquals(50, report.obtained());
        assertEquals(50, report.uniqueAddresses());
        assertEquals(50, report.latency().samples());
        assertEquals(8_000, report.latency().p50Micros(), "two round trips of 4 ms each");
    }

    @Test
    void noMoreExchangesThanTheConcurrencyAreInFlight() {
        run(settings(50, 8, false, false), message -> true);

        assertEquals(8, inFlightPeak);
    }

    @Test
    void distinctHardwareAddressesAreUsed() {
        run(settings(20, 4, false, false), message -> true);

        assertEquals(20, server.bindings.size());
    }

    @Test
    void anAddressLeasedTwiceFailsTheRunLoudly() {
        server.sameForEveryone = Optional.of(Ipv4Address.parse("198.18.1.1"));

        ClientReport report = run(settings(3, 1, false, false), message -> true);

        assertFalse(report.success());
        assertEquals(2, report.duplicates().size());
        assertEquals(1, report.uniqueAddresses());
        assertTrue(report.duplicates().get(0).startsWith("198.18.1.1 leased to client 0 (02:00:00:00:00:01) and to client 1"),
                report.duplicates().get(0));
        assertTrue(report.lines().stream().anyMatch(line -> line.startsWith("DUPLICATE: 198.18.1.1")));
    }

    @Test
    void aNakFailsTheRunLoudly() {
        server.nakRequests = true;

        ClientReport report = run(settings(4, 2, false, false), message -> true);

        assertFalse(report.success());
        assertEquals(4, report.naks());
        assertEquals(4, report.failures().size());
        assertEquals(0, report.obtained());
    }

    @Test
    void lostMessagesAreSentAgainAfterTheTimeout() {
        Set<Integer> droppedOnce = new HashSet<>();
        // The network loses the first DISCOVER of every client.
        ClientReport report = run(settings(10, 10, false, false),
                message -> message.messageType().orElseThrow() != DhcpMessageType.DISCOVER || !droppedOnce.add(message.xid()));

        assertTrue(report.success(), String.join("\n", report.lines()));
        assertEquals(10, report.obtained());
        assertEquals(TIMEOUT.toMillis() * 1000 + 8_000, report.latency().p50Micros());
    }

    @Test
    void aSilentServerFailsEveryClientAfterItsRetries() {
        ClientReport report = run(settings(5, 2, false, false), message -> false);

        assertFalse(report.success());
        assertEquals(0, report.obtained());
        assertEquals(5, report.failures().size());
        assertTrue(report.failures().get(0).endsWith("no DHCPOFFER after 3 attempts"), report.failures().get(0));
        assertEquals(0, time.pending(), "no timer left behind");
    }

    @Test
    void lateDuplicateRepliesAreIgnoredNotCounted() {
        // The server answers every message twice.
        ClientReport report = runWith(settings(5, 5, false, false), message -> true, 2);

        assertTrue(report.success(), String.join("\n", report.lines()));
        assertEquals(5, report.uniqueAddresses());
        // At least each client's second OFFER arrives while it is requesting, before the run ends.
        assertTrue(report.ignored() >= 5, "ignored " + report.ignored());
    }

    @Test
    void renewalKeepsEveryAddress() {
        ClientReport report = run(settings(6, 3, true, false), message -> true);

        assertTrue(report.success(), String.join("\n", report.lines()));
        assertEquals(6, report.renewed());
        long renewals = server.received.stream().filter(m -> !m.ciaddr().isZero()).count();
        assertEquals(6, renewals);
    }

    @Test
    void everyAckIsReportedAsItArrivesWithTheExpiryCountedFromTheRequest() {
        Instant start = clock.now();

        run(settings(3, 1, false, false), message -> true);

        assertEquals(3, acks.size());
        Ack first = acks.get(0);
        assertEquals(Ipv4Address.parse("198.18.1.1"), first.address());
        assertEquals(settings(3, 1, false, false).hardwareAddress(0), first.hardwareAddress());
        assertEquals(Duration.ofSeconds(600), first.leaseTime());
        // DISCOVER at 0 ms, OFFER back at 4 ms and the REQUEST out at once, ACK back at 8 ms.
        assertEquals(start.plusMillis(8), first.received());
        assertEquals(start.plusMillis(4).plusSeconds(600), first.expiry());
        assertEquals(List.of("198.18.1.1", "198.18.1.2", "198.18.1.3"),
                acks.stream().map(ack -> ack.address().toString()).toList());
    }

    @Test
    void theExpiryOfAnAckCountsFromTheFirstSendingOfItsRequest() {
        Instant start = clock.now();
        Set<Integer> droppedOnce = new HashSet<>();

        // The network loses the first REQUEST; the client sends it again after the timeout.
        run(settings(1, 1, false, false), message -> message.messageType().orElseThrow() != DhcpMessageType.REQUEST
                || !droppedOnce.add(message.xid()));

        assertEquals(1, acks.size());
        assertEquals(start.plusMillis(4).plus(TIMEOUT).plusMillis(4), acks.get(0).received());
        assertEquals(start.plusMillis(4).plusSeconds(600), acks.get(0).expiry());
    }

    @Test
    void aRenewalIsReportedAsAnotherAck() {
        run(settings(2, 1, true, false), message -> true);

        assertEquals(4, acks.size());
        assertEquals(acks.get(0).address(), acks.get(1).address());
        assertTrue(acks.get(1).expiry().isAfter(acks.get(0).expiry()), "the renewal extends the lease");
    }

    @Test
    void releaseSendsOneReleasePerLeaseAtTheEnd() {
        ClientReport report = run(settings(6, 3, false, true), message -> true);

        assertEquals(6, report.released());
        List<DhcpMessage> releases = server.received.stream()
                .filter(m -> m.messageType().orElseThrow() == DhcpMessageType.RELEASE).toList();
        assertEquals(6, releases.size());
        assertEquals(6, releases.stream().map(DhcpMessage::ciaddr).distinct().count());
    }

    @Test
    @DisplayName("a renewal run: clients whose server is silent rebind through the relay and keep their addresses; "
            + "the others renew straight with their server")
    void aRenewalRunRebindsTheClientsOfASilentServer() {
        Ipv4Address silent = Ipv4Address.parse("198.18.0.9");
        List<HeldLease> held = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            held.add(new HeldLease(settings(6, 6, false, false).hardwareAddress(i), Ipv4Address.parse("198.18.1.1").plus(i),
                    i % 2 == 0 ? silent : FakeServer.SERVER_ID));
        }
        List<String> sent = new ArrayList<>();
        LoadGenerator[] generator = new LoadGenerator[1];
        generator[0] = LoadGenerator.renewing(settings(6, 6, false, false), held, 1, time, clock,
                () -> clock.millis() * 1_000_000L, (message, to) -> {
                    boolean relayed = !message.giaddr().isZero();
                    sent.add((relayed ? "relay" : to.toString()) + " " + message.ciaddr());
                    if (!relayed && to.equals(silent)) {
                        return;
                    }
                    time.schedule(NETWORK_DELAY, () -> server.answer(message).forEach(reply ->
                            time.schedule(NETWORK_DELAY, () -> generator[0].receive(reply))));
                }, acks::add);
        time.execute(generator[0]::start);
        for (int step = 0; step < 100_000 && !generator[0].result().isDone(); step++) {
            time.advance(Duration.ofMillis(1));
        }

        ClientReport report = generator[0].result().join();
        assertTrue(report.success(), String.join("\n", report.lines()));
        assertEquals(6, report.renewed());
        assertEquals(6, report.uniqueAddresses());
        for (int i = 0; i < 6; i++) {
            String address = held.get(i).address().toString();
            if (i % 2 == 0) {
                assertEquals(List.of(silent + " " + address, silent + " " + address, "relay " + address),
                        sent.stream().filter(line -> line.endsWith(" " + address)).toList());
            } else {
                assertEquals(List.of(FakeServer.SERVER_ID + " " + address),
                        sent.stream().filter(line -> line.endsWith(" " + address)).toList());
            }
        }
        assertEquals(held.stream().map(HeldLease::address).toList(), acks.stream().map(Ack::address).sorted().toList());
    }

    private LoadSettings settings(int count, int concurrency, boolean renew, boolean release) {
        return new LoadSettings(count, concurrency, TIMEOUT, 2, renew, release,
                Optional.of(Ipv4Prefix.parse("198.18.0.0/16")), 1, Ipv4Address.parse("127.0.0.2"));
    }

    private ClientReport run(LoadSettings settings, Predicate<DhcpMessage> delivered) {
        return runWith(settings, delivered, 1);
    }

    /** Runs a generator against the fake server over a virtual network that delays every message. */
    private ClientReport runWith(LoadSettings settings, Predicate<DhcpMessage> delivered, int copies) {
        LoadGenerator[] generator = new LoadGenerator[1];
        generator[0] = new LoadGenerator(settings, time, clock, () -> clock.millis() * 1_000_000L, message -> {
            if (message.messageType().orElseThrow() == DhcpMessageType.DISCOVER) {
                openTransactions.add(message.xid());
                inFlightPeak = Math.max(inFlightPeak, openTransactions.size());
            }
            if (!delivered.test(message)) {
                return;
            }
            // One network delay to the server, one back.
            time.schedule(NETWORK_DELAY, () -> {
                for (DhcpMessage reply : server.answer(message)) {
                    if (reply.messageType().orElseThrow() == DhcpMessageType.ACK) {
                        openTransactions.remove(reply.xid());
                    }
                    for (int i = 0; i < copies; i++) {
                        time.schedule(NETWORK_DELAY, () -> generator[0].receive(reply));
                    }
                }
            });
        }, acks::add);
        time.execute(generator[0]::start);
        for (int step = 0; step < 100_000 && !generator[0].result().isDone(); step++) {
            time.advance(Duration.ofMillis(1));
        }
        assertTrue(generator[0].result().isDone(), "the run did not finish");
        time.advance(Duration.ofMillis(10)); // lets what was sent last (releases) reach the server
        return generator[0].result().join();
    }
}
