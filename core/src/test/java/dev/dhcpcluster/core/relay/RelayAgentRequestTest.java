package dev.dhcpcluster.core.relay;

import static dev.dhcpcluster.core.relay.RelayFixture.ETH1_ADDRESS;
import static dev.dhcpcluster.core.relay.RelayFixture.ETH1_OPTION;
import static dev.dhcpcluster.core.relay.RelayFixture.ETH2_ADDRESS;
import static dev.dhcpcluster.core.relay.RelayFixture.SERVER_1;
import static dev.dhcpcluster.core.relay.RelayFixture.SERVER_2;
import static dev.dhcpcluster.core.relay.RelayFixture.SETTINGS;
import static dev.dhcpcluster.core.relay.RelayFixture.agent;
import static dev.dhcpcluster.core.relay.RelayFixture.assertDropped;
import static dev.dhcpcluster.core.relay.RelayFixture.endOf;
import static dev.dhcpcluster.core.relay.RelayFixture.forwarded;
import static dev.dhcpcluster.core.relay.RelayFixture.golden;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.MalformedPacketException;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.core.dhcp.TestPackets;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.DhcpMessageType;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client's request on its way to the servers (RFC 1542 §4.1.1, RFC 3046 §2.1): what the servers
 * receive, octet by octet, and which requests never leave the relay.
 */
class RelayAgentRequestTest {

    private static List<String> goldenPackets() {
        return RelayFixture.GOLDEN;
    }

    @Test
    @DisplayName("dhclient's DISCOVER goes to every server with giaddr, hops 1 and option 82 in place of END; every other octet as sent")
    void dhclientDiscoverIsForwardedOctetForOctet() {
        byte[] sent = golden("dhclient-discover");
        int end = endOf(sent);

        RelayDecision.ToServers forward = forwarded(agent().fromClient(sent, "eth1"));

        byte[] out = forward.packet();
        assertEquals(List.of(new Delivery.Unicast(SERVER_1, 67), new Delivery.Unicast(SERVER_2, 67)), forward.servers());
        assertEquals(AgentInformation.ADDED, forward.agentInformation());
        assertEquals(sent.length, out.length, "option 82 takes the place of padding, the message keeps its 300 octets");
        assertArrayEquals(Arrays.copyOfRange(sent, 0, 3), Arrays.copyOfRange(out, 0, 3));
        assertEquals(1, out[3], "hops");
        assertArrayEquals(Arrays.copyOfRange(sent, 4, 24), Arrays.copyOfRange(out, 4, 24));
        assertArrayEquals(ETH1_ADDRESS.toBytes(), Arrays.copyOfRange(out, 24, 28), "giaddr");
        assertArrayEquals(Arrays.copyOfRange(sent, 28, end), Arrays.copyOfRange(out, 28, end));
        assertArrayEquals(ETH1_OPTION, Arrays.copyOfRange(out, end, end + ETH1_OPTION.length));
        assertEquals((byte) 255, out[end + ETH1_OPTION.length], "END follows option 82");
        assertArrayEquals(new byte[sent.length - end - 1 - ETH1_OPTION.length],
                Arrays.copyOfRange(out, end + ETH1_OPTION.length + 1, out.length), "the rest of the padding");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenPackets")
    @DisplayName("each real client's packet decodes at the server as sent, plus giaddr, hops and option 82 as its last option")
    void goldenPacketsKeepEveryOption(String name) throws MalformedPacketException {
        byte[] sent = golden(name);
        DhcpMessage original = DhcpCodec.decode(sent);

        byte[] out = forwarded(agent().fromClient(sent, "eth1")).packet();

        DhcpMessage relayed = DhcpCodec.decode(out);
        assertEquals(ETH1_ADDRESS, relayed.giaddr());
        assertEquals(1, relayed.hops());
        List<Integer> codes = relayed.options().codes();
        assertEquals(OptionCode.RELAY_AGENT_INFORMATION, codes.get(codes.size() - 1));
        assertArrayEquals(Arrays.copyOfRange(ETH1_OPTION, 2, ETH1_OPTION.length),
                relayed.options().get(OptionCode.RELAY_AGENT_INFORMATION).orElseThrow());
        DhcpMessage expected = original.toBuilder().giaddr(ETH1_ADDRESS).hops(1)
                .options(original.options().toBuilder().put(OptionCode.RELAY_AGENT_INFORMATION,
                        Arrays.copyOfRange(ETH1_OPTION, 2, ETH1_OPTION.length)).build())
                .build();
        assertEquals(expected, relayed);
    }

    @Test
    @DisplayName("a configured remote-id follows the circuit-id in option 82 (RFC 3046 §3)")
    void remoteIdFollowsCircuitId() {
        RelayAgent agent = new RelayAgent(SETTINGS.withRemoteId(Optional.of(Octets.of(new byte[] {'r', 'i', 'd'}))));
        byte[] sent = golden("udhcpc-discover");
        int end = endOf(sent);

        byte[] out = forwarded(agent.fromClient(sent, "eth2")).packet();

        byte[] option = {82, 11, 1, 4, 'e', 't', 'h', '2', 2, 3, 'r', 'i', 'd', (byte) 255};
        assertArrayEquals(option, Arrays.copyOfRange(out, end, end + option.length));
        assertArrayEquals(ETH2_ADDRESS.toBytes(), Arrays.copyOfRange(out, 24, 28));
    }

    @Test
    @DisplayName("a request with no padding after END grows by the option's length")
    void unpaddedRequestGrows() {
        byte[] full = golden("dhclient-request");
        int end = endOf(full);
        byte[] sent = Arrays.copyOf(full, end + 1);

        byte[] out = forwarded(agent().fromClient(sent, "eth1")).packet();

        assertEquals(sent.length + ETH1_OPTION.length, out.length);
        assertArrayEquals(Arrays.copyOfRange(sent, 28, end), Arrays.copyOfRange(out, 28, end));
        assertArrayEquals(ETH1_OPTION, Arrays.copyOfRange(out, end, end + ETH1_OPTION.length));
        assertEquals((byte) 255, out[out.length - 1]);
    }

    @Test
    @DisplayName("option 82 may grow a request up to the maximum length exactly; one octet more and it goes without the option (RFC 3046 §2.1)")
    void noRoomForwardsWithoutTheOption() {
        RelayAgent agent = new RelayAgent(SETTINGS.withMaxMessageLength(RelaySettings.MIN_MESSAGE_LENGTH));
        byte[] fits = endingAt(RelaySettings.MIN_MESSAGE_LENGTH - ETH1_OPTION.length);
        byte[] tooLong = endingAt(RelaySettings.MIN_MESSAGE_LENGTH - ETH1_OPTION.length + 1);

        RelayDecision.ToServers added = forwarded(agent.fromClient(fits, "eth1"));
        RelayDecision.ToServers without = forwarded(agent.fromClient(tooLong, "eth1"));

        assertEquals(AgentInformation.ADDED, added.agentInformation());
        assertEquals(RelaySettings.MIN_MESSAGE_LENGTH, added.packet().length);
        assertEquals(AgentInformation.NO_ROOM, without.agentInformation());
        byte[] expected = tooLong.clone();
        expected[3] = 1;
        ETH1_ADDRESS.writeTo(expected, 24);
        assertArrayEquals(expected, without.packet(), "giaddr and hops set, nothing else changed");
    }

    @Test
    @DisplayName("option 82 goes after PADs, just before END, and the PADs stay")
    void padsBeforeEndStay() {
        byte[] sent = withOptions(53, 1, 1, 0, 0, 0, 255);

        byte[] out = forwarded(agent().fromClient(sent, "eth1")).packet();

        assertArrayEquals(new byte[] {53, 1, 1, 0, 0, 0}, Arrays.copyOfRange(out, 240, 246));
        assertArrayEquals(ETH1_OPTION, Arrays.copyOfRange(out, 246, 246 + ETH1_OPTION.length));
        assertEquals((byte) 255, out[246 + ETH1_OPTION.length]);
    }

    @Test
    @DisplayName("with option 52, option 82 still goes into the options field; sname and file are not touched")
    void overloadedRequestKeepsSnameAndFile() throws MalformedPacketException {
        byte[] sent = withOptions(53, 1, 1, 52, 1, 3, 255);
        byte[] file = {12, 3, 'a', 'b', 'c', (byte) 255};
        byte[] sname = {60, 2, 'x', 'y', (byte) 255};
        System.arraycopy(file, 0, sent, 108, file.length);
        System.arraycopy(sname, 0, sent, 44, sname.length);

        byte[] out = forwarded(agent().fromClient(sent, "eth1")).packet();

        assertArrayEquals(Arrays.copyOfRange(sent, 44, 236), Arrays.copyOfRange(out, 44, 236), "sname and file");
        assertArrayEquals(ETH1_OPTION, Arrays.copyOfRange(out, 246, 246 + ETH1_OPTION.length));
        DhcpMessage relayed = DhcpCodec.decode(out);
        assertEquals("abc", relayed.options().string(OptionCode.HOST_NAME).orElseThrow());
        assertEquals(List.of(53, 82, 12, 60), relayed.options().codes());
    }

    @Test
    @DisplayName("hops at the limit are forwarded and incremented; one more is dropped (RFC 1542 §4.1.1)")
    void hopLimit() {
        byte[] atLimit = TestPackets.discover().withHops(RelaySettings.DEFAULT_MAX_HOPS).encode();
        byte[] over = TestPackets.discover().withHops(RelaySettings.DEFAULT_MAX_HOPS + 1).encode();

        assertEquals(RelaySettings.DEFAULT_MAX_HOPS + 1, forwarded(agent().fromClient(atLimit, "eth1")).packet()[3]);
        assertDropped(RelayDropReason.TOO_MANY_HOPS, agent().fromClient(over, "eth1"));
    }

    @Test
    @DisplayName("with max-hops 16, the most RFC 1542 allows, hops 16 pass and 17 are dropped")
    void hopLimitSixteen() {
        RelayAgent agent = new RelayAgent(SETTINGS.withMaxHops(16));

        assertEquals(17, forwarded(agent.fromClient(TestPackets.discover().withHops(16).encode(), "eth1")).packet()[3]);
        assertDropped(RelayDropReason.TOO_MANY_HOPS, agent.fromClient(TestPackets.discover().withHops(17).encode(), "eth1"));
    }

    @Test
    @DisplayName("a request relayed before keeps its giaddr and its option 82, even on an untrusted link; only hops change (RFC 3046 §2.1.1)")
    void relayedBeforeIsForwardedUnchanged() {
        byte[] sent = TestPackets.discover().withGiaddr("198.18.50.1").withHops(1)
                .withRelayAgentSubOption(1, new byte[] {'p', 'o', 'r', 't', '7'}).encode();

        RelayDecision.ToServers forward = forwarded(agent().fromClient(sent, "eth1"));

        byte[] expected = sent.clone();
        expected[3] = 2;
        assertArrayEquals(expected, forward.packet());
        assertEquals(AgentInformation.RELAYED_BEFORE, forward.agentInformation());
    }

    @Test
    @DisplayName("a request whose giaddr is one of this relay's addresses is dropped as spoofed (RFC 3046 §2.1.1)")
    void ownGiaddrIsSpoofed() {
        byte[] sent = TestPackets.discover().withGiaddr(ETH2_ADDRESS.toString()).encode();

        assertDropped(RelayDropReason.SPOOFED_GIADDR, agent().fromClient(sent, "eth1"));
    }

    @Test
    @DisplayName("a client's own option 82 on an untrusted link is dropped (RFC 3046 §2.1)")
    void optionFromUntrustedClientIsDropped() {
        byte[] sent = TestPackets.discover().withRelayAgentSubOption(1, new byte[] {'f', 'a', 'k', 'e'}).encode();

        assertDropped(RelayDropReason.UNTRUSTED_AGENT_INFORMATION, agent().fromClient(sent, "eth1"));
    }

    @Test
    @DisplayName("an option 82 hidden in an overloaded file field counts as present")
    void optionInFileCounts() {
        byte[] sent = withOptions(53, 1, 1, 52, 1, 1, 255);
        byte[] file = {82, 3, 1, 1, 'x', (byte) 255};
        System.arraycopy(file, 0, sent, 108, file.length);

        assertDropped(RelayDropReason.UNTRUSTED_AGENT_INFORMATION, agent().fromClient(sent, "eth1"));
    }

    @Test
    @DisplayName("option 82 from a trusted link is kept as it is, no second one is added, giaddr is set (RFC 3046 §2.1)")
    void optionFromTrustedLinkIsKept() {
        byte[] sent = TestPackets.discover().withRelayAgentSubOption(1, new byte[] {'s', 'w', '1'}).encode();

        RelayDecision.ToServers forward = forwarded(agent().fromClient(sent, "eth2"));

        byte[] expected = sent.clone();
        expected[3] = 1;
        ETH2_ADDRESS.writeTo(expected, 24);
        assertArrayEquals(expected, forward.packet());
        assertEquals(AgentInformation.KEPT_FROM_TRUSTED_INTERFACE, forward.agentInformation());
    }

    @Test
    @DisplayName("a BOOTREPLY from the client side is dropped, not forwarded")
    void replyOnClientSideIsDropped() {
        byte[] sent = TestPackets.ofType(DhcpMessageType.OFFER).withOp(DhcpMessage.BOOTREPLY).encode();

        assertDropped(RelayDropReason.NOT_A_REQUEST, agent().fromClient(sent, "eth1"));
    }

    @Test
    @DisplayName("a datagram from an interface the relay does not serve is dropped")
    void unknownInterface() {
        assertDropped(RelayDropReason.UNKNOWN_INTERFACE, agent().fromClient(golden("dhclient-discover"), "eth9"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"empty", "header only", "no END", "bad cookie", "hlen 17", "option overruns", "file without END",
            "option 52 twice", "longer than UDP"})
    @DisplayName("malformed requests are dropped as MALFORMED")
    void malformedRequests(String kind) {
        byte[] good = golden("dhclient-discover");
        byte[] bad = switch (kind) {
            case "empty" -> new byte[0];
            case "header only" -> Arrays.copyOf(good, 240);
            case "no END" -> Arrays.copyOf(good, endOf(good));
            case "bad cookie" -> with(good, 239, 0x64);
            case "hlen 17" -> with(good, 2, 17);
            case "option overruns" -> with(Arrays.copyOf(good, endOf(good) + 1), 241, 200);
            case "file without END" -> withOptions(53, 1, 1, 52, 1, 1, 255);
            case "option 52 twice" -> withOptions(53, 1, 1, 52, 1, 3, 52, 1, 3, 255);
            case "longer than UDP" -> Arrays.copyOf(good, DhcpCodec.MAX_DATAGRAM_LENGTH + 1);
            default -> throw new IllegalArgumentException(kind);
        };
        if (kind.equals("file without END")) {
            Arrays.fill(bad, 108, 236, (byte) 1);
        }

        assertDropped(RelayDropReason.MALFORMED, agent().fromClient(bad, "eth1"));
    }

    @Test
    @DisplayName("the received array is never changed")
    void inputIsNotModified() {
        byte[] sent = golden("dhclient-discover");
        byte[] copy = sent.clone();

        agent().fromClient(sent, "eth1");

        assertArrayEquals(copy, sent);
    }

    /** A 300-octet BOOTREQUEST from 02:00:00:00:00:01 whose options field holds {@code options}. */
    static byte[] withOptions(int... options) {
        byte[] packet = new byte[300];
        packet[0] = 1;
        packet[1] = 1;
        packet[2] = 6;
        packet[28] = 2;
        packet[33] = 1;
        packet[236] = 99;
        packet[237] = (byte) 130;
        packet[238] = 83;
        packet[239] = 99;
        for (int i = 0; i < options.length; i++) {
            packet[240 + i] = (byte) options[i];
        }
        return packet;
    }

    /** A DISCOVER whose END is its last octet, at {@code length - 1}: private options 224 fill the rest. */
    private static byte[] endingAt(int length) {
        byte[] packet = Arrays.copyOf(withOptions(53, 1, 1), length);
        int at = 243;
        while (length - 1 - at > 0) {
            int room = length - 1 - at;
            if (room == 1) {
                packet[at++] = 0;
                continue;
            }
            int valueLength = Math.min(255, room - 2);
            packet[at] = (byte) 224;
            packet[at + 1] = (byte) valueLength;
            Arrays.fill(packet, at + 2, at + 2 + valueLength, (byte) 'h');
            at += 2 + valueLength;
        }
        packet[length - 1] = (byte) 255;
        return packet;
    }

    private static byte[] with(byte[] packet, int offset, int value) {
        byte[] copy = packet.clone();
        copy[offset] = (byte) value;
        return copy;
    }
}
