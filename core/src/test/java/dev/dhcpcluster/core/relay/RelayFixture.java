package dev.dhcpcluster.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The relay every test of this package uses: two client links, {@code eth1} untrusted and
 * {@code eth2} trusted, and two servers; plus the golden packets of real clients and small
 * helpers that read a decision.
 */
final class RelayFixture {

    static final Ipv4Address ETH1_ADDRESS = Ipv4Address.parse("198.18.1.1");
    static final Ipv4Address ETH2_ADDRESS = Ipv4Address.parse("198.18.2.1");
    static final Ipv4Address SERVER_1 = Ipv4Address.parse("198.18.100.1");
    static final Ipv4Address SERVER_2 = Ipv4Address.parse("198.18.100.2");
    static final RelayInterface ETH1 = new RelayInterface("eth1", ETH1_ADDRESS, false);
    static final RelayInterface ETH2 = new RelayInterface("eth2", ETH2_ADDRESS, true);
    static final RelaySettings SETTINGS = RelaySettings.of(List.of(ETH1, ETH2), List.of(SERVER_1, SERVER_2));

    /** Option 82 as this relay adds it on eth1 without a remote-id: circuit-id "eth1". */
    static final byte[] ETH1_OPTION = {(byte) OptionCode.RELAY_AGENT_INFORMATION, 6, 1, 4, 'e', 't', 'h', '1'};

    /** The names of the golden packets captured from real clients. */
    static final List<String> GOLDEN = List.of("dhclient-discover", "dhclient-request", "udhcpc-discover", "udhcpc-request");

    private RelayFixture() {
    }

    static RelayAgent agent() {
        return new RelayAgent(SETTINGS);
    }

    /** A golden packet captured from a real client (see the .txt beside each .bin). */
    static byte[] golden(String name) {
        String path = "/dev/dhcpcluster/core/dhcp/golden/" + name + ".bin";
        try (InputStream in = RelayFixture.class.getResourceAsStream(path)) {
            assertNotNull(in, "missing golden packet " + path);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The offset of the END that closes the options field of a packet without PAD or overload. */
    static int endOf(byte[] packet) {
        int i = 240;
        while ((packet[i] & 0xFF) != OptionCode.END) {
            i += (packet[i] & 0xFF) == OptionCode.PAD ? 1 : 2 + (packet[i + 1] & 0xFF);
        }
        return i;
    }

    static RelayDecision.ToServers forwarded(RelayDecision decision) {
        return assertInstanceOf(RelayDecision.ToServers.class, decision, () -> "expected a forward, got " + decision);
    }

    static RelayDecision.ToClient delivered(RelayDecision decision) {
        return assertInstanceOf(RelayDecision.ToClient.class, decision, () -> "expected a delivery, got " + decision);
    }

    static void assertDropped(RelayDropReason reason, RelayDecision decision) {
        assertEquals(new RelayDecision.Drop(reason), decision);
    }
}
