package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What every real DHCP client, directly attached to a node's interface through the lab's bridge,
 * must get from the node: a lease from the pool with the configured options, a renewal that keeps
 * the address, and a release that frees the address for the next client. A subclass names one
 * client program (and the programs it needs, with {@link EndToEnd}), gives the reasons its script
 * reports, and says how that client is made to renew and to release; the checks are the same for
 * every client.
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

    /** Prepares (does not start) a client named {@code name} on {@code host}. */
    @FunctionalInterface
    interface ClientFactory<T> {
        T prepare(NetworkLab lab, LabHost host, String name);
    }

    private final String program;
    private final ClientFactory<C> factory;
    private final Reasons reasons;
    private final Renewal<C> renewal;

    /**
     * @param program the client program's name, which the single-client tests also give its process
     * @param factory prepares a client
     * @param reasons the reasons the client's script reports
     * @param renewal how the client is made to renew
     */
    DirectlyAttachedClientEndToEndTest(String program, ClientFactory<C> factory, Reasons reasons,
            Renewal<C> renewal) {
        this.program = program;
        this.factory = factory;
        this.reasons = reasons;
        this.renewal = renewal;
    }

    /** Makes the bound {@code client} release its lease, and fails unless the client shows it did. */
    abstract void releaseAndConfirm(C client);

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
