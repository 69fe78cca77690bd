package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * What every real DHCP client, directly attached to a node's interface through the lab's bridge,
 * must get from the node: a lease from the pool with the configured options, a renewal that keeps
 * the address, a release that frees the address for the next client, the same address again after
 * the client restarts, and an extended lease when only its broadcasts reach the node (REBINDING).
 * A subclass names one client program (and the programs it needs, with {@link EndToEnd}), gives the
 * reasons its script reports, and says how that client is made to renew, to restart and to
 * release; the checks are the same for every client.
 *
 * <p>The restart and rebinding tests also capture the client's DHCP traffic ({@link PacketCapture}),
 * because only the wire shows which kind of request the client sent and what the node answered.
 *
 * @param <C> the wrapper of the client program
 */
abstract class DirectlyAttachedClientEndToEndTest<C extends RealClient> {

    static final Duration LEASE_WAIT = Duration.ofSeconds(45);
    private static final String DNS = "198.18.0.53";
    private static final String DOMAIN = "e2e.test";
    private static final NodeConfigFile.Subnet LAN = new NodeConfigFile.Subnet(
            1, "198.18.0.0/24", "198.18.0.100", "198.18.0.199", "198.18.0.1", List.of());
    private static final NodeConfigFile.Subnet ONE_ADDRESS_LAN = new NodeConfigFile.Subnet(
            1, "198.18.0.0/24", "198.18.0.100", "198.18.0.100", "198.18.0.1", List.of());
    private static final String NODE_ADDRESS = "198.18.0.1";
    /** A locally administered MAC address that no host of a lab has: frames sent to it reach no one. */
    private static final String NOBODYS_MAC = "02:00:00:00:de:ad";
    /**
     * Lease times that make the rebinding test fast: T1 at 6 s and T2 at 12 s of a 30 s lease (#23).
     * udhcpc ignores T1 and T2 and renews at half the lease, 15 s, which also fits.
     */
    private static final int SHORT_LEASE = 30;
    private static final int SHORT_RENEW = 6;
    private static final int SHORT_REBIND = 12;
    /** Slack for comparing the node's expiry with a capture's timestamp: the store keeps whole seconds at most. */
    private static final Duration CLOCK_SLACK = Duration.ofSeconds(2);
    private static final Duration NODE_STOP_GRACE = Duration.ofSeconds(20);

    /**
     * The reasons the client's script is called with, spelt as the client spells them.
     *
     * @param bound a lease was obtained
     * @param renew the lease was renewed
     * @param insteadOfRenew what else may come after a renewal was due, and ends the wait for it
     */
    record Reasons(String bound, String renew, List<String> insteadOfRenew) {

        Reasons {
            insteadOfRenew = List.copyOf(insteadOfRenew);
        }

        boolean endsRenewal(LeaseEvent event) {
            return event.is(renew) || insteadOfRenew.stream().anyMatch(event::is);
        }
    }

    /**
     * How a client is made to renew within the test.
     *
     * @param nodeConfig changes the node's config (lease times) for the renewal test
     * @param trigger makes the bound client renew
     * @param <T> the wrapper of the client program
     */
    record Renewal<T>(UnaryOperator<NodeConfigFile> nodeConfig, Consumer<T> trigger) {

        /** The client renews when it is told to, with the default lease times. */
        static <T> Renewal<T> onRequest(Consumer<T> trigger) {
            return new Renewal<>(UnaryOperator.identity(), trigger);
        }

        /**
         * The client renews by its own timer, which the lease times that {@code nodeConfig} sets
         * make fire within the test.
         */
        static <T> Renewal<T> byTimer(UnaryOperator<NodeConfigFile> nodeConfig) {
            return new Renewal<>(nodeConfig, client -> { });
        }
    }

    /** What a client sends to get its address back after a restart, and how the capture shows it. */
    enum RestartExchange {

        /**
         * INIT-REBOOT (RFC 2131 §3.2, §4.3.2): from the lease it saved, the client broadcasts a
         * REQUEST for its address (option 50) with ciaddr 0 and no server identifier (option 54),
         * and sends no DISCOVER.
         */
        INIT_REBOOT {
            @Override
            void check(CapturedDhcp request, List<CapturedDhcp> sinceRestart, Supplier<String> wire) {
                assertTrue(request.isInitReboot(), () -> "not an INIT-REBOOT request: " + wire.get());
                assertTrue(sinceRestart.stream().noneMatch(message -> message.is(DhcpMessageType.DISCOVER)),
                        () -> "a DISCOVER after the restart: " + wire.get());
            }
        },

        /**
         * A client without INIT-REBOOT (busybox udhcpc): it starts over with a DISCOVER that asks
         * for its previous address (option 50), then takes the offer (SELECTING, option 54).
         */
        DISCOVER_FOR_PREVIOUS_ADDRESS {
            @Override
            void check(CapturedDhcp request, List<CapturedDhcp> sinceRestart, Supplier<String> wire) {
                CapturedDhcp discover = sinceRestart.stream().filter(message -> message.is(DhcpMessageType.DISCOVER))
                        .findFirst().orElseThrow(() -> new AssertionFailedError("no DISCOVER: " + wire.get()));
                assertEquals(request.requestedAddress(), discover.requestedAddress(), wire);
                assertTrue(request.namesServer(), () -> "not a SELECTING request: " + wire.get());
                assertTrue(sinceRestart.stream().noneMatch(CapturedDhcp::isInitReboot),
                        () -> "an INIT-REBOOT request from a client that has none: " + wire.get());
            }
        };

        /**
         * Fails unless the client's first REQUEST after the restart ({@code request}, which asked
         * for the client's previous address) and everything captured since the restart show this
         * exchange; {@code wire} describes the capture for the failure message.
         */
        abstract void check(CapturedDhcp request, List<CapturedDhcp> sinceRestart, Supplier<String> wire);
    }

    /**
     * What a client reports when it comes back: after a restart, and after its server stopped
     * answering its unicasts.
     *
     * @param reboot the reason its script reports for the address it got back after a restart
     * @param restartExchange what it sends after a restart
     * @param rebind the reason its script reports for a lease extended through a broadcast
     *     REBINDING request
     */
    record Recovery(String reboot, RestartExchange restartExchange, String rebind) {
    }

    /** Prepares (does not start) a client named {@code name} on {@code host}. */
    @FunctionalInterface
    interface ClientFactory<T> {
        T prepare(NetworkLab lab, LabHost host, String name);
    }

    private final String program;
    private final ClientFactory<C> factory;
    private final Reasons reasons;
    private final Renewal<C> renewal;
    private final Recovery recovery;

    /**
     * @param program the client program's name, which the single-client tests also give its process
     * @param factory prepares a client
     * @param reasons the reasons the client's script reports
     * @param renewal how the client is made to renew
     * @param recovery what the client reports after a restart and after rebinding
     */
    DirectlyAttachedClientEndToEndTest(String program, ClientFactory<C> factory, Reasons reasons,
            Renewal<C> renewal, Recovery recovery) {
        this.program = program;
        this.factory = factory;
        this.reasons = reasons;
        this.renewal = renewal;
        this.recovery = recovery;
    }

    /** Makes the bound {@code client} release its lease, and fails unless the client shows it did. */
    abstract void releaseAndConfirm(C client);

    /**
     * Stops the {@code client} that got {@code bound} by its PID and starts it again with whatever
     * it remembers of that lease.
     */
    abstract void restart(C client, LeaseEvent bound);

    @Test
    void clientIsBoundToAnAddressFromThePoolWithTheConfiguredOptions() {
        try (NetworkLab lab = NetworkLab.create()) {
            C client = startWithNode(lab, UnaryOperator.identity());
            LeaseEvent bound = awaitBound(client);

            assertTrue(LAN.poolContains(bound.address()), () -> "address outside the pool: " + bound);
            assertEquals("255.255.255.0", bound.mask());
            assertEquals(List.of("198.18.0.1"), bound.routerList());
            assertEquals(List.of(DNS), bound.dnsList());
            assertEquals(DOMAIN, bound.domain());
            assertEquals(List.of(bound.address() + "/24"), client.host().ipv4Addresses());
        }
    }

    @Test
    void clientRenewsItsLeaseAndKeepsTheAddress() {
        try (NetworkLab lab = NetworkLab.create()) {
            C client = startWithNode(lab, renewal.nodeConfig());
            LeaseEvent bound = awaitBound(client);
            int afterBound = client.script().events().size();

            renewal.trigger().accept(client);
            LeaseEvent renewed = client.await("to " + reasons.renew(), afterBound, reasons::endsRenewal, LEASE_WAIT);

            assertEquals(reasons.renew(), renewed.reason(), () -> "expected a renewal, got " + renewed);
            assertEquals(bound.address(), renewed.address());
            assertEquals(List.of(bound.address() + "/24"), client.host().ipv4Addresses());
        }
    }

    @Test
    void anAddressReleasedByTheClientIsLeasedToTheNextClient() {
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost nodeHost = lab.addHost("node", "198.18.0.1/24");
            LabHost firstHost = lab.addHost("first");
            LabHost secondHost = lab.addHost("second");
            // One address and an hour-long lease: the second client can only get it if the release freed it.
            NodeProcess node = NodeProcess.start(lab, nodeHost, "node", config(nodeHost, ONE_ADDRESS_LAN));
            C first = start(lab, firstHost, "first");
            LeaseEvent bound = awaitBound(first);
            assertEquals("198.18.0.100", bound.address());

            releaseAndConfirm(first);
            assertEquals(List.of(), firstHost.ipv4Addresses());

            C second = start(lab, secondHost, "second");
            LeaseEvent next = awaitBound(second);
            assertEquals("198.18.0.100", next.address(), node::describe);
        }
    }

    /**
     * A client stopped by its PID and started again gets its address back: by INIT-REBOOT, a
     * REQUEST for the address it saved with ciaddr 0 and no server identifier, which the node ACKs
     * because it knows the client's lease; no DISCOVER is sent. Busybox udhcpc has no INIT-REBOOT
     * state and saves no lease: restarted with {@code -r} and its address, it sends a DISCOVER
     * asking for that address (option 50), and the node offers and ACKs the same address.
     */
    @Test
    @DisplayName("#20 a restarted client gets its address back by INIT-REBOOT (udhcpc, which has no INIT-REBOOT, "
            + "by a DISCOVER asking for it)")
    void restartedClientGetsItsAddressBack() {
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost nodeHost = lab.addHost("node", NODE_ADDRESS + "/24");
            LabHost clientHost = lab.addHost("client");
            NodeProcess.start(lab, nodeHost, "node", config(nodeHost, LAN));
            PacketCapture capture = PacketCapture.start(lab, clientHost, "capture");
            C client = start(lab, clientHost, program);
            LeaseEvent bound = awaitBound(client);
            Ipv4Address address = Ipv4Address.parse(bound.address());
            int afterBound = client.script().events().size();

            Instant restarted = Instant.now();
            restart(client, bound);
            // A client that fell back to a DISCOVER reports a new lease as bound: that ends the wait too.
            LeaseEvent back = client.await("to be " + recovery.reboot() + " after the restart", afterBound,
                    event -> event.is(recovery.reboot()) || event.is(reasons.bound()), LEASE_WAIT);

            assertEquals(recovery.reboot(), back.reason(), () -> "not what a restart gets: " + back);
            assertEquals(bound.address(), back.address(), () -> "another address after the restart: " + back);
            Supplier<String> wire = () -> capture.describeSince(restarted);
            CapturedDhcp request = capture.await("a REQUEST after the restart", restarted,
                    message -> message.is(DhcpMessageType.REQUEST), LEASE_WAIT);
            CapturedDhcp ack = capture.await("the node's answer to " + request, restarted,
                    request::isAnsweredBy, LEASE_WAIT);
            assertTrue(ack.is(DhcpMessageType.ACK), wire);
            assertEquals(address, ack.message().yiaddr(), wire);
            assertEquals(Ipv4Address.ZERO, request.message().ciaddr(), wire);
            assertEquals(address, request.requestedAddress().orElse(null), wire);
            recovery.restartExchange().check(request, capture.messagesSince(restarted), wire);
            assertEquals(List.of(bound.address() + "/24"), clientHost.ipv4Addresses());
        }
    }

    /**
     * A bound client whose unicasts to the node go to a MAC address nobody has (its permanent
     * neighbour entry for the node says so), while its broadcasts still reach the node: its
     * RENEWING requests from T1 go unanswered, at T2 it broadcasts a REBINDING request (ciaddr set,
     * no option 50 or 54), the node ACKs it, unicast to ciaddr, the client keeps its address
     * throughout, and the node's store holds the extended lease.
     */
    @Test
    @DisplayName("#21 #22 a client whose unicast renewals go unanswered rebinds by broadcast, is ACKed and keeps "
            + "its address")
    void clientWhoseRenewalsGoUnansweredRebindsAndKeepsItsAddress() {
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost nodeHost = lab.addHost("node", NODE_ADDRESS + "/24");
            LabHost clientHost = lab.addHost("client");
            NodeProcess node = NodeProcess.start(lab, nodeHost, "node",
                    config(nodeHost, LAN).withLeaseTimes(SHORT_LEASE, SHORT_RENEW, SHORT_REBIND));
            String nodeMac = nodeHost.macAddress();
            String clientMac = clientHost.macAddress();
            PacketCapture capture = PacketCapture.start(lab, clientHost, "capture");
            C client = start(lab, clientHost, program);
            LeaseEvent bound = awaitBound(client);
            Ipv4Address address = Ipv4Address.parse(bound.address());
            int afterBound = client.script().events().size();

            // Before T1: from now on the node hears only the client's broadcasts.
            clientHost.pinNeighbor(NODE_ADDRESS, NOBODYS_MAC);
            Instant pinned = Instant.now();
            // Whatever the client reports first must be the lease it rebound: a renewal means a unicast
            // got through, an expiry that it lost the address.
            LeaseEvent rebound = client.await("to report its first event after it was bound", afterBound,
                    event -> true, LEASE_WAIT);

            assertEquals(recovery.rebind(), rebound.reason(), () -> "not a rebinding: " + rebound);
            assertEquals(bound.address(), rebound.address(), () -> "another address after rebinding: " + rebound);
            Supplier<String> wire = () -> capture.describeSince(pinned);
            CapturedDhcp rebinding = capture.await("a broadcast REQUEST", pinned,
                    message -> message.is(DhcpMessageType.REQUEST) && message.isEtherBroadcast(), LEASE_WAIT);
            CapturedDhcp ack = capture.await("the node's answer to " + rebinding, pinned,
                    message -> rebinding.isAnsweredBy(message) && message.etherSource().equals(nodeMac),
                    LEASE_WAIT);
            List<CapturedDhcp> sincePinned = capture.messagesSince(pinned);
            List<CapturedDhcp> renewing = sincePinned.stream()
                    .filter(message -> message.is(DhcpMessageType.REQUEST) && !message.isEtherBroadcast()
                            && message.time().isBefore(rebinding.time()))
                    .toList();

            // RENEWING (#21): unicast to the node's address, in frames to nobody, and never answered.
            assertFalse(renewing.isEmpty(), () -> "no unicast RENEWING request before rebinding: " + wire.get());
            for (CapturedDhcp request : renewing) {
                assertEquals(address, request.message().ciaddr(), wire);
                assertEquals(Ipv4Address.parse(NODE_ADDRESS), request.ipDestination(), wire);
                assertEquals(NOBODYS_MAC, request.etherDestination(), wire);
                assertTrue(request.requestedAddress().isEmpty() && !request.namesServer(), wire);
            }
            assertTrue(sincePinned.stream().noneMatch(
                    message -> message.etherSource().equals(clientMac) && message.etherDestination().equals(nodeMac)),
                    () -> "a unicast frame reached the node: " + wire.get());
            assertTrue(sincePinned.stream().noneMatch(
                    message -> message.is(DhcpMessageType.ACK) && message.time().isBefore(rebinding.time())),
                    () -> "the node answered before the client rebound: " + wire.get());
            // REBINDING (#22): broadcast, ciaddr set, no requested address, no server identifier; ACKed to ciaddr.
            assertEquals(Ipv4Address.BROADCAST, rebinding.ipDestination(), wire);
            assertEquals(address, rebinding.message().ciaddr(), wire);
            assertTrue(rebinding.requestedAddress().isEmpty(), () -> "option 50 in REBINDING: " + wire.get());
            assertFalse(rebinding.namesServer(), () -> "option 54 in REBINDING: " + wire.get());
            assertTrue(ack.is(DhcpMessageType.ACK), wire);
            assertEquals(address, ack.message().yiaddr(), wire);
            assertEquals(address, ack.ipDestination(), () -> "the ACK did not go to ciaddr: " + wire.get());
            assertEquals(clientMac, ack.etherDestination(), wire);

            // The client never lost its address: nothing but extensions of it since it was bound.
            List<LeaseEvent> sinceBound = client.script().events().stream().skip(afterBound).toList();
            assertTrue(sinceBound.stream().allMatch(
                    event -> event.is(recovery.rebind()) && event.address().equals(bound.address())),
                    () -> "the client's script since it was bound: " + sinceBound);
            assertEquals(List.of(bound.address() + "/24"), clientHost.ipv4Addresses());

            // The node's store holds the lease the REBINDING ACK extended, beyond what the first ACK granted.
            CapturedDhcp firstAck = capture.messages().stream()
                    .filter(message -> message.is(DhcpMessageType.ACK) && message.message().yiaddr().equals(address))
                    .findFirst().orElseThrow();
            assertTrue(node.stop(NODE_STOP_GRACE).isPresent(), node::describe);
            assertStoreHoldsExtendedLease(node, address, firstAck.time(), ack.time());
        }
    }

    /**
     * Fails unless the stopped {@code node}'s store holds a bound lease of {@code address} that
     * lasts a whole short lease from {@code extendingAck} and ends later than the one granted at
     * {@code firstAck}.
     */
    private static void assertStoreHoldsExtendedLease(NodeProcess node, Ipv4Address address, Instant firstAck,
            Instant extendingAck) {
        StoredLease stored = node.leases().stream().filter(lease -> lease.address().equals(address.toString()))
                .findFirst().orElseThrow(() -> new AssertionFailedError("no lease of " + address + " in the store"));
        assertEquals("BOUND", stored.state(), stored::toString);
        Instant extendedTo = extendingAck.plusSeconds(SHORT_LEASE);
        assertFalse(stored.expiry().isBefore(extendedTo.minus(CLOCK_SLACK)),
                () -> stored + " ends before " + extendedTo + ", the end of the lease the REBINDING ACK granted");
        assertTrue(stored.expiry().isAfter(firstAck.plusSeconds(SHORT_LEASE).plus(CLOCK_SLACK)),
                () -> stored + " was not extended beyond the lease of the first ACK at " + firstAck);
    }

    /**
     * Starts a node serving {@link #LAN} (with {@code nodeConfig} applied to its config) and, on a
     * host of its own, a client named for its program.
     */
    private C startWithNode(NetworkLab lab, UnaryOperator<NodeConfigFile> nodeConfig) {
        LabHost nodeHost = lab.addHost("node", "198.18.0.1/24");
        LabHost clientHost = lab.addHost("client");
        NodeProcess.start(lab, nodeHost, "node", nodeConfig.apply(config(nodeHost, LAN)));
        return start(lab, clientHost, program);
    }

    /** Prepares a client named {@code name} on {@code host} and starts it. */
    private C start(NetworkLab lab, LabHost host, String name) {
        C client = factory.prepare(lab, host, name);
        client.start();
        return client;
    }

    private LeaseEvent awaitBound(C client) {
        String bound = reasons.bound();
        return client.await("to be " + bound, 0, event -> event.is(bound), LEASE_WAIT);
    }

    private static NodeConfigFile config(LabHost nodeHost, NodeConfigFile.Subnet subnet) {
        return NodeConfigFile.servingInterface(nodeHost.interfaceName())
                .withOption("domain-name-servers", DNS)
                .withOption("domain-name", DOMAIN)
                .withSubnet(subnet);
    }
}
