package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A pool of exactly 100 addresses against ISC perfdhcp simulating 10000 clients (-R), thousands
 * of which send one DISCOVER each, as fast as a flood: the pool is handed out once and not an
 * address more, the rest is dropped and counted as pool exhaustion with a single warning, and once
 * the offers lapse the same flood is served again. perfdhcp relays (giaddr is its own address), so the node answers it
 * at giaddr.
 *
 * <p>Only counts are asserted, never timings: the runs are short, bounded by the number of packets
 * and by a test period well inside the offer lifetime, so that no offer of a run lapses before the
 * run is over.
 */
@EndToEnd(requires = "perfdhcp")
class PoolExhaustionEndToEndTest {

    private static final String NODE_ADDRESS = "198.18.0.1";
    private static final String PERFDHCP_LINK_ADDRESS = "198.18.0.3";
    private static final String PERFDHCP_ADDRESS = "198.18.8.1";
    private static final int POOL_SIZE = 100;
    /** 198.18.8.100 to 198.18.8.199: exactly {@value #POOL_SIZE} addresses. */
    private static final NodeConfigFile.Subnet RELAYED = new NodeConfigFile.Subnet(
            1, "198.18.8.0/24", "198.18.8.100", "198.18.8.199", PERFDHCP_ADDRESS, List.of());
    /** Simulated clients (-R); perfdhcp takes them round-robin. */
    private static final int CLIENTS = 10_000;
    /**
     * DISCOVERs per run (-n), fewer than the clients so that each client sends one: perfdhcp may
     * send a few packets past -n, and a client that came round again would rightly be offered its
     * address a second time. An address seen twice (-u) is then the server's fault.
     */
    private static final int DISCOVERS = 8_000;
    private static final int RATE = 5_000;
    /** Stops a run that cannot reach the rate; well inside the offer lifetime. */
    private static final int TEST_PERIOD_SECONDS = 4;
    private static final int OFFER_LIFETIME_SECONDS = 12;
    /** How often the node warns of an exhausted pool while it lasts (LoggingClusterEvents and DhcpPolicy). */
    private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);
    private static final Pattern EXHAUSTION_WARNING = Pattern.compile(
            "(?m)^.*WARN .*pool of 198\\.18\\.8\\.0/24 exhausted.*$");
    private static final Pattern TRAFFIC = Pattern.compile("(?m)node 1 traffic: received (.*); sent (.*); dropped (.*)$");

    @Test
    @DisplayName("#17 a 100-address pool offers 100 addresses to a 10000-client flood, nothing more, and again once the offers lapse")
    void floodOfDiscoversGetsThePoolOnceThenAgainAfterTheOfferLifetime() {
        try (NetworkLab lab = NetworkLab.create()) {
            Lab setup = Lab.build(lab);
            Instant firstRunStarted = Instant.now();

            PerfdhcpRun first = setup.perfdhcp("perfdhcp1", true);
            first.assertOffered(POOL_SIZE, setup.node);
            // The warning of the first exhaustion, logged once however many DISCOVERs followed.
            Poll.until(Duration.ofSeconds(20), "the node to warn of the exhausted pool",
                    () -> EXHAUSTION_WARNING.matcher(setup.node.output()).find() ? Optional.of(true) : Optional.empty(),
                    setup.node::describe);
            assertEquals(1, count(EXHAUSTION_WARNING, setup.node.output()), setup.node::describe);

            // Every offer of the first run was made before perfdhcp exited: once the lifetime has
            // passed since then, all of them have lapsed.
            Instant lapsed = first.exited().plusSeconds(OFFER_LIFETIME_SECONDS);
            Poll.until(Duration.ofSeconds(OFFER_LIFETIME_SECONDS + 5), "the offer lifetime to pass",
                    () -> Instant.now().isAfter(lapsed) ? Optional.of(true) : Optional.empty(), () -> "");

            PerfdhcpRun second = setup.perfdhcp("perfdhcp2", true);
            second.assertOffered(POOL_SIZE, setup.node);

            Traffic traffic = setup.stopNode();
            String evidence = first.describe() + second.describe() + setup.node.describe();
            assertEquals(2 * POOL_SIZE, traffic.sent("OFFER"), evidence);
            assertEquals(0, traffic.sent("ACK"), evidence);
            long discovers = traffic.received("DISCOVER");
            assertTrue(discovers > 2 * POOL_SIZE, evidence);
            assertEquals(discovers - 2 * POOL_SIZE, traffic.dropped("POOL_EXHAUSTED"),
                    "every DISCOVER beyond the pool was dropped as pool exhaustion" + System.lineSeparator() + evidence);
            assertEquals(discovers - 2 * POOL_SIZE, traffic.droppedInAll(), evidence);
            long warnings = count(EXHAUSTION_WARNING, setup.node.output());
            long intervals = Duration.between(firstRunStarted, Instant.now()).dividedBy(WARNING_INTERVAL);
            assertTrue(warnings >= 1 && warnings <= 1 + intervals, warnings + " exhaustion warnings over "
                    + (intervals + 1) + " warning interval(s), for " + traffic.dropped("POOL_EXHAUSTED")
                    + " DISCOVERs dropped" + System.lineSeparator() + evidence);
        }
    }

    @Test
    @DisplayName("a 100-address pool binds 100 addresses for a 10000-client DORA flood and acknowledges nothing more")
    void floodOfFullExchangesBindsThePoolAndNothingMore() {
        try (NetworkLab lab = NetworkLab.create()) {
            Lab setup = Lab.build(lab);

            PerfdhcpRun run = setup.perfdhcp("perfdhcp", false);
            run.assertOffered(POOL_SIZE, setup.node);
            PerfdhcpReport.Exchange request = run.report().exchange("REQUEST-ACK");
            String perfEvidence = run.describe() + setup.node.describe();
            assertEquals(POOL_SIZE, request.sent(), perfEvidence);
            assertEquals(POOL_SIZE, request.received(), perfEvidence);
            assertEquals(0, request.nonUniqueAddresses(), perfEvidence);
            assertEquals(0, request.rejectedLeases(), perfEvidence);

            Traffic traffic = setup.stopNode();
            String evidence = run.describe() + setup.node.describe();
            assertEquals(POOL_SIZE, traffic.sent("OFFER"), evidence);
            assertEquals(POOL_SIZE, traffic.sent("ACK"), evidence);
            assertEquals(0, traffic.sent("NAK"), evidence);
            long discovers = traffic.received("DISCOVER");
            assertEquals(discovers - POOL_SIZE, traffic.dropped("POOL_EXHAUSTED"), evidence);
            assertEquals(discovers - POOL_SIZE, traffic.droppedInAll(), evidence);
            assertEquals(1, count(EXHAUSTION_WARNING, setup.node.output()), evidence);
        }
    }

    private static long count(Pattern pattern, String text) {
        return pattern.matcher(text).results().count();
    }

    /** A node serving the 100-address subnet through perfdhcp's relay address, and perfdhcp's host. */
    private static final class Lab {
        private final NetworkLab lab;
        private final LabHost perfHost;
        private final NodeProcess node;

        private Lab(NetworkLab lab, LabHost perfHost, NodeProcess node) {
            this.lab = lab;
            this.perfHost = perfHost;
            this.node = node;
        }

        static Lab build(NetworkLab lab) {
            LabHost nodeHost = lab.addHost("node", NODE_ADDRESS + "/24");
            LabHost perfHost = lab.addHost("perf", PERFDHCP_LINK_ADDRESS + "/24", PERFDHCP_ADDRESS + "/24");
            nodeHost.addRoute(RELAYED.cidr(), PERFDHCP_LINK_ADDRESS);
            NodeProcess node = NodeProcess.start(lab, nodeHost, "node", NodeConfigFile
                    .servingInterface(nodeHost.interfaceName()).withSubnet(RELAYED)
                    .withOfferLifetime(OFFER_LIFETIME_SECONDS));
            return new Lab(lab, perfHost, node);
        }

        /** Runs perfdhcp to its end: DISCOVER-OFFER only if {@code discoverOnly}, else the full exchange. */
        PerfdhcpRun perfdhcp(String name, boolean discoverOnly) {
            List<String> argv = new ArrayList<>(List.of(Tools.require("perfdhcp"), "-4"));
            if (discoverOnly) {
                argv.add("-i");
            }
            argv.addAll(List.of("-r", Integer.toString(RATE), "-R", Integer.toString(CLIENTS),
                    "-n", Integer.toString(DISCOVERS), "-p", Integer.toString(TEST_PERIOD_SECONDS), "-u",
                    "-l", PERFDHCP_ADDRESS, NODE_ADDRESS));
            LabProcess process = lab.start(name, perfHost, argv);
            int exit = process.awaitExit(Duration.ofSeconds(60));
            Instant exited = Instant.now();
            // perfdhcp exits with 3 when packets went unanswered, as most must here.
            assertTrue(Set.of(0, 3).contains(exit), process::describe);
            return new PerfdhcpRun(process, PerfdhcpReport.parse(process.output()), exited);
        }

        Traffic stopNode() {
            node.stop(Duration.ofSeconds(20));
            Matcher matcher = TRAFFIC.matcher(node.output());
            assertTrue(matcher.find(), "the node logged no traffic counts when it stopped" + System.lineSeparator()
                    + node.describe());
            return new Traffic(matcher.group(1), matcher.group(2), matcher.group(3));
        }
    }

    /** One finished perfdhcp run. */
    private record PerfdhcpRun(LabProcess process, PerfdhcpReport report, Instant exited) {
        String describe() {
            return process.describe() + System.lineSeparator();
        }

        /** perfdhcp sent more DISCOVERs than the pool and got exactly {@code offers} OFFERs, no address twice. */
        void assertOffered(int offers, NodeProcess node) {
            PerfdhcpReport.Exchange discover = report.exchange("DISCOVER-OFFER");
            String evidence = describe() + node.describe();
            assertTrue(discover.sent() > 10L * offers, evidence);
            assertEquals(offers, discover.received(), evidence);
            assertEquals(0, discover.nonUniqueAddresses(), evidence);
        }
    }

    /** The node's "traffic" line: counts by message type and drop reason. */
    private record Traffic(String received, String sent, String dropped) {
        long received(String type) {
            return countOf(received, type);
        }

        long sent(String type) {
            return countOf(sent, type);
        }

        long dropped(String reason) {
            return countOf(dropped, reason);
        }

        long droppedInAll() {
            return Pattern.compile("(\\d+) [A-Z_]+").matcher(dropped).results()
                    .mapToLong(result -> Long.parseLong(result.group(1))).sum();
        }

        private static long countOf(String part, String name) {
            Matcher matcher = Pattern.compile("(\\d+) " + Pattern.quote(name) + "\\b").matcher(part);
            return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
        }
    }
}
