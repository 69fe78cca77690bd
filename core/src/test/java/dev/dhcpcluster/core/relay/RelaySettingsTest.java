package dev.dhcpcluster.core.relay;

import static dev.dhcpcluster.core.relay.RelayFixture.ETH1;
import static dev.dhcpcluster.core.relay.RelayFixture.ETH2;
import static dev.dhcpcluster.core.relay.RelayFixture.SERVER_1;
import static dev.dhcpcluster.core.relay.RelayFixture.SETTINGS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The relay's settings: their defaults, and every setting a relay could not follow refused with a reason. */
class RelaySettingsTest {

    @Test
    @DisplayName("defaults: 4 hops (RFC 1542 §4.1.1), ports 67 and 68, 1472-octet messages, no remote-id")
    void defaults() {
        assertEquals(4, SETTINGS.maxHops());
        assertEquals(67, SETTINGS.serverPort());
        assertEquals(68, SETTINGS.clientPort());
        assertEquals(1472, SETTINGS.maxMessageLength());
        assertEquals(Optional.empty(), SETTINGS.remoteId());
    }

    @Test
    @DisplayName("max-hops is 0 to 16: RFC 1542 §4.1.1 allows no more")
    void hopRange() {
        assertEquals(0, SETTINGS.withMaxHops(0).maxHops());
        assertEquals(16, SETTINGS.withMaxHops(16).maxHops());
        assertRefused("max-hops is 0 to 16", () -> SETTINGS.withMaxHops(17));
        assertRefused("max-hops is 0 to 16", () -> SETTINGS.withMaxHops(-1));
    }

    @Test
    @DisplayName("the maximum message length is 548 (576 less IP and UDP) up to the largest UDP payload")
    void messageLengthRange() {
        assertEquals(548, SETTINGS.withMaxMessageLength(548).maxMessageLength());
        assertRefused("not 547", () -> SETTINGS.withMaxMessageLength(547));
        assertRefused("not 65508", () -> SETTINGS.withMaxMessageLength(65508));
    }

    @Test
    @DisplayName("a relay needs an interface and a server; names, addresses and servers are unique")
    void interfacesAndServers() {
        assertRefused("at least one client-facing interface", () -> RelaySettings.of(List.of(), List.of(SERVER_1)));
        assertRefused("at least one server", () -> RelaySettings.of(List.of(ETH1), List.of()));
        assertRefused("interface eth1 is listed twice", () -> RelaySettings.of(
                List.of(ETH1, new RelayInterface("eth1", Ipv4Address.parse("198.18.9.1"), false)), List.of(SERVER_1)));
        assertRefused("address 198.18.1.1 belongs to two interfaces", () -> RelaySettings.of(
                List.of(ETH1, new RelayInterface("eth9", ETH1.address(), false)), List.of(SERVER_1)));
        assertRefused("server 198.18.100.1 is listed twice", () -> RelaySettings.of(List.of(ETH1), List.of(SERVER_1, SERVER_1)));
        assertRefused("a server is a unicast address", () -> RelaySettings.of(List.of(ETH1), List.of(Ipv4Address.ZERO)));
    }

    @Test
    @DisplayName("an interface needs a name and a unicast address")
    void interfaceChecks() {
        assertRefused("not empty", () -> new RelayInterface("", Ipv4Address.parse("198.18.1.1"), false));
        assertRefused("needs a unicast address", () -> new RelayInterface("eth1", Ipv4Address.ZERO, false));
        assertRefused("needs a unicast address", () -> new RelayInterface("eth1", Ipv4Address.BROADCAST, false));
    }

    @Test
    @DisplayName("option 82 must fit one option: circuit-id and remote-id together at most 255 octets")
    void optionMustFit() {
        char[] name = new char[200];
        Arrays.fill(name, 'n');
        RelayInterface longName = new RelayInterface(new String(name), Ipv4Address.parse("198.18.7.1"), false);
        RelaySettings fits = RelaySettings.of(List.of(longName), List.of(SERVER_1))
                .withRemoteId(Optional.of(Octets.of(new byte[51])));
        assertEquals(255, new RelayAgent(fits).agentOption(longName).length - 2);

        assertRefused("would hold 256 octets", () -> fits.withRemoteId(Optional.of(Octets.of(new byte[52]))));
    }

    @Test
    @DisplayName("interfaces are found by name and by address, servers by address")
    void lookups() {
        assertEquals(Optional.of(ETH2), SETTINGS.interfaceNamed("eth2"));
        assertEquals(Optional.of(ETH2), SETTINGS.interfaceAt(ETH2.address()));
        assertEquals(Optional.empty(), SETTINGS.interfaceNamed("eth3"));
        assertTrue(SETTINGS.isServer(SERVER_1));
    }

    private static void assertRefused(String reason, Executable build) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, build);
        assertTrue(refused.getMessage().contains(reason), () -> "\"" + refused.getMessage() + "\" should say " + reason);
    }
}
