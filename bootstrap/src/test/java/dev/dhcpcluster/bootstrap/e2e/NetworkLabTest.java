package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The harness itself: namespaces, bridge, addresses, processes, and the cleanup it promises. */
@EndToEnd(requires = "sleep")
class NetworkLabTest {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @Test
    void hostsOnTheBridgeExchangeDatagrams() {
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost server = lab.addHost("server", "198.18.0.1/24");
            LabHost client = lab.addHost("client", "198.18.0.2/24");
            LabProcess echo = lab.start("echo", server, JavaCommand.of(List.of(), UdpProbe.class.getName(),
                    List.of("serve", "198.18.0.1", "7007")));
            echo.awaitOutput(Pattern.compile("listening"), BOUND);

            LabProcess ask = lab.start("ask", client, JavaCommand.of(List.of(), UdpProbe.class.getName(),
                    List.of("ask", "198.18.0.1", "7007", "hello")));

            assertEquals(0, ask.awaitExit(BOUND), ask::describe);
            assertTrue(ask.output().contains("reply: echo:hello"), ask::describe);
            assertEquals(List.of("198.18.0.2/24"), client.ipv4Addresses());
        }
    }

    @Test
    void aSecondSwitchIsASeparateLinkThatAHostCanBePluggedInto() {
        try (NetworkLab lab = NetworkLab.create()) {
            String secondLink = lab.addSwitch();
            LabHost router = lab.addHost("router", "198.18.1.1/24");
            LabHost routerOnSecondLink = lab.plug(router, secondLink, "eth1", "198.18.2.1/24");
            LabHost far = lab.addHostOnSwitch(secondLink, "far", "198.18.2.2/24");
            LabHost near = lab.addHost("near", "198.18.2.3/24");
            LabProcess echo = lab.start("echo", far, JavaCommand.of(List.of(), UdpProbe.class.getName(),
                    List.of("serve", "198.18.2.2", "7007")));
            echo.awaitOutput(Pattern.compile("listening"), BOUND);

            LabProcess fromOtherLink = lab.start("fromotherlink", near, JavaCommand.of(List.of(), UdpProbe.class.getName(),
                    List.of("ask", "198.18.2.2", "7007", "across")));
            assertEquals(1, fromOtherLink.awaitExit(BOUND), fromOtherLink::describe);
            LabProcess fromSameLink = lab.start("fromsamelink", router, JavaCommand.of(List.of(), UdpProbe.class.getName(),
                    List.of("ask", "198.18.2.2", "7007", "hello")));
            assertEquals(0, fromSameLink.awaitExit(BOUND), fromSameLink::describe);

            assertTrue(fromSameLink.output().contains("reply: echo:hello"), fromSameLink::describe);
            assertEquals(router.namespace(), routerOnSecondLink.namespace());
            assertEquals(List.of("198.18.1.1/24"), router.ipv4Addresses());
            assertEquals(List.of("198.18.2.1/24"), routerOnSecondLink.ipv4Addresses());
            assertThrows(IllegalArgumentException.class, () -> lab.plug(far, "br9", "eth1"));
        }
    }

    @Test
    void closeStopsItsProcessesAndDeletesItsNamespacesAndFiles() {
        NetworkLab lab = NetworkLab.create();
        LabHost host = lab.addHost("host", "198.18.0.1/24");
        LabProcess sleeper = lab.start("sleeper", host, List.of(Tools.require("sleep"), "300"));
        List<String> namespaces = lab.namespaces();
        Path workDirectory = lab.workDirectory();

        lab.close();

        assertFalse(sleeper.isAlive());
        assertTrue(Collections.disjoint(namespaces, existingNamespaces()), "namespaces left: " + namespaces);
        assertFalse(Files.exists(workDirectory));
    }

    @Test
    void closeKillsWhatItsProcessesLeftRunningInTheLab() {
        NetworkLab lab = NetworkLab.create();
        LabHost host = lab.addHost("host");
        LabProcess parent = lab.start("parent", host,
                List.of("/bin/sh", "-c", Tools.require("sleep") + " 300 & echo child=$!"));
        Matcher child = parent.awaitOutput(Pattern.compile("child=(\\d+)"), BOUND);
        assertEquals(0, parent.awaitExit(BOUND));
        long orphan = Long.parseLong(child.group(1));
        assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false));

        lab.close();

        Poll.until(BOUND, "the orphan " + orphan + " to be gone",
                () -> ProcessHandle.of(orphan).filter(ProcessHandle::isAlive).isEmpty() ? Optional.of(true) : Optional.empty(),
                () -> "pid " + orphan + " is still alive");
    }

    @Test
    void twoLabsNeverShareANamespace() {
        try (NetworkLab first = NetworkLab.create(); NetworkLab second = NetworkLab.create()) {
            first.addHost("node", "198.18.0.1/24");
            second.addHost("node", "198.18.0.1/24");

            assertTrue(Collections.disjoint(first.namespaces(), second.namespaces()));
            assertTrue(existingNamespaces().containsAll(first.namespaces()));
            assertTrue(existingNamespaces().containsAll(second.namespaces()));
        }
    }

    @Test
    void aHostCannotBeGivenAnAddressOutsideTheBenchmarkingBlock() {
        try (NetworkLab lab = NetworkLab.create()) {
            assertThrows(IllegalArgumentException.class, () -> lab.addHost("host", "192.0.2.1/24"));
            LabHost host = lab.addHost("other");
            assertThrows(IllegalArgumentException.class, () -> host.addAddress("10.0.0.1/8"));
            assertThrows(IllegalArgumentException.class, () -> host.addRoute("198.18.1.0/24", "203.0.113.1"));
            assertEquals(List.of(), host.ipv4Addresses());
        }
    }

    private static List<String> existingNamespaces() {
        return Command.check(Tools.require("ip"), "netns", "list").output().lines()
                .map(line -> line.split("\\s+")[0])
                .toList();
    }
}
