package dev.dhcpcluster.core.relay;

import static dev.dhcpcluster.core.relay.RelayFixture.SERVER_1;
import static dev.dhcpcluster.core.relay.RelayFixture.SETTINGS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.MalformedPacketException;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.core.dhcp.TestPackets;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random mutations of real packets, from a seed: whatever arrives on either side, the relay
 * answers with a decision and never throws; it refuses as malformed exactly what the server's
 * decoder refuses; and what it forwards or delivers decodes to the message it received, with only
 * giaddr, hops and option 82 changed. A failure names its seed and iteration, which replay it.
 */
class RelayAgentFuzzTest {

    private static final int ITERATIONS = 4000;
    private static final int[] HEADER_OFFSETS = {0, 1, 2, 3, 10, 12, 16, 24, 27, 236, 239};

    private final RelayAgent agent = new RelayAgent(SETTINGS.withRemoteId(Optional.of(Octets.of(new byte[] {'r'}))));

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {13, 1542, 3046, 2131})
    @DisplayName("mutated requests and replies always get a decision, malformed exactly when the decoder refuses them")
    void mutationsAlwaysGetADecision(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> seeds = seeds();
        Set<String> outcomes = new HashSet<>();
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            byte[] packet = mutate(seeds.get(random.nextInt(seeds.size())), random);
            String replay = "seed " + seed + ", iteration " + iteration + ": " + HexFormat.of().formatHex(packet);
            try {
                outcomes.add(checkRequest(packet, random.nextBoolean() ? "eth1" : "eth2", replay));
                outcomes.add(checkReply(packet, random, replay));
            } catch (RuntimeException e) {
                throw new AssertionError("the relay threw on " + replay, e);
            }
        }
        // The mutations must reach every branch that matters, or the checks above prove little.
        assertTrue(outcomes.containsAll(Set.of("ToServers ADDED", "ToServers RELAYED_BEFORE", "ToClient",
                "Drop MALFORMED", "Drop NOT_FOR_THIS_RELAY", "Drop UNTRUSTED_AGENT_INFORMATION")),
                () -> "seed " + seed + " reached only " + outcomes);
    }

    private static String outcome(RelayDecision decision) {
        if (decision instanceof RelayDecision.ToServers forward) {
            return "ToServers " + forward.agentInformation();
        }
        if (decision instanceof RelayDecision.Drop drop) {
            return "Drop " + drop.reason();
        }
        return "ToClient";
    }

    private String checkRequest(byte[] packet, String face, String replay) {
        RelayDecision decision = agent.fromClient(packet.clone(), face);
        assertNotNull(decision, replay);
        DhcpMessage received = decodeOrNull(packet);
        assertEquals(received == null, decision.equals(new RelayDecision.Drop(RelayDropReason.MALFORMED)),
                () -> "malformed must mean the decoder refuses it, got " + decision + " for " + replay);
        if (decision instanceof RelayDecision.ToServers forward) {
            DhcpMessage sent = decodeOrFail(forward.packet(), replay);
            assertEquals(received.hops() + 1, sent.hops(), replay);
            Ipv4Address giaddr = received.giaddr().isZero()
                    ? SETTINGS.interfaceNamed(face).orElseThrow().address() : received.giaddr();
            DhcpOptions options = sent.options();
            if (forward.agentInformation() == AgentInformation.ADDED) {
                byte[] ours = agent.agentOption(SETTINGS.interfaceNamed(face).orElseThrow());
                assertEquals(Optional.of(HexFormat.of().formatHex(ours, 2, ours.length)),
                        options.get(OptionCode.RELAY_AGENT_INFORMATION).map(HexFormat.of()::formatHex), replay);
                options = options.toBuilder().remove(OptionCode.RELAY_AGENT_INFORMATION).build();
            }
            assertEquals(received.options(), options, replay);
            assertEquals(received.toBuilder().giaddr(giaddr).hops(received.hops() + 1).build(),
                    sent.toBuilder().options(received.options()).build(), replay);
        }
        return outcome(decision);
    }

    private String checkReply(byte[] packet, SplittableRandom random, String replay) {
        byte[] reply = packet.clone();
        if (reply.length > 28 && random.nextInt(4) > 0) {
            reply[0] = DhcpMessage.BOOTREPLY;
            (random.nextBoolean() ? RelayFixture.ETH1_ADDRESS : RelayFixture.ETH2_ADDRESS).writeTo(reply, 24);
        }
        RelayDecision decision = agent.fromServer(reply.clone(), SERVER_1);
        assertNotNull(decision, replay);
        DhcpMessage received = decodeOrNull(reply);
        assertEquals(received == null, decision.equals(new RelayDecision.Drop(RelayDropReason.MALFORMED)),
                () -> "malformed must mean the decoder refuses it, got " + decision + " for " + replay);
        if (decision instanceof RelayDecision.ToClient delivery) {
            DhcpMessage sent = decodeOrFail(delivery.packet(), replay);
            assertEquals(reply.length, delivery.packet().length, replay);
            byte[] ours = agent.agentOption(delivery.via());
            DhcpMessage expected = received;
            if (received.options().get(OptionCode.RELAY_AGENT_INFORMATION)
                    .filter(value -> Arrays.equals(value, Arrays.copyOfRange(ours, 2, ours.length))).isPresent()) {
                expected = received.toBuilder()
                        .options(received.options().toBuilder().remove(OptionCode.RELAY_AGENT_INFORMATION).build()).build();
            }
            assertEquals(expected, sent, replay);
        }
        return outcome(decision);
    }

    private List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (String name : RelayFixture.GOLDEN) {
            byte[] golden = RelayFixture.golden(name);
            seeds.add(golden);
            seeds.add(((RelayDecision.ToServers) agent.fromClient(golden, "eth1")).packet());
        }
        seeds.add(TestPackets.ofType(DhcpMessageType.ACK).withOp(DhcpMessage.BOOTREPLY)
                .withGiaddr("198.18.1.1").withYiaddr("198.18.1.10")
                .withRelayAgentInformation(Arrays.copyOfRange(RelayFixture.ETH1_OPTION, 2, RelayFixture.ETH1_OPTION.length))
                .encode());
        byte[] overloaded = RelayAgentRequestTest.withOptions(53, 1, 1, 52, 1, 3, 255);
        System.arraycopy(new byte[] {12, 3, 'a', 'b', 'c', (byte) 255}, 0, overloaded, 108, 6);
        System.arraycopy(new byte[] {82, 3, 1, 1, 'x', (byte) 255}, 0, overloaded, 44, 6);
        seeds.add(overloaded);
        return seeds;
    }

    private static byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] packet = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int edit = 0; edit < edits; edit++) {
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (packet.length > 0) {
                        packet[random.nextInt(packet.length)] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> {
                    int at = HEADER_OFFSETS[random.nextInt(HEADER_OFFSETS.length)];
                    if (at < packet.length) {
                        packet[at] = (byte) random.nextInt(random.nextBoolean() ? 20 : 256);
                    }
                }
                case 2 -> {
                    if (packet.length > 240) {
                        int at = 240 + random.nextInt(packet.length - 240);
                        packet[at] = (byte) (random.nextBoolean() ? OptionCode.RELAY_AGENT_INFORMATION
                                : random.nextBoolean() ? OptionCode.END : random.nextInt(256));
                    }
                }
                case 3 -> packet = Arrays.copyOf(packet, random.nextInt(packet.length + 1));
                case 4 -> {
                    int more = random.nextInt(300);
                    int from = packet.length;
                    packet = Arrays.copyOf(packet, from + more);
                    for (int i = from; i < packet.length; i++) {
                        packet[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0);
                    }
                }
                default -> {
                    if (packet.length > 241) {
                        int at = 240 + random.nextInt(packet.length - 240);
                        byte[] shorter = new byte[packet.length - 1];
                        System.arraycopy(packet, 0, shorter, 0, at);
                        System.arraycopy(packet, at + 1, shorter, at, packet.length - at - 1);
                        packet = shorter;
                    }
                }
            }
        }
        return packet;
    }

    private static DhcpMessage decodeOrNull(byte[] packet) {
        try {
            return DhcpCodec.decode(packet);
        } catch (MalformedPacketException e) {
            return null;
        }
    }

    private static DhcpMessage decodeOrFail(byte[] packet, String replay) {
        try {
            return DhcpCodec.decode(packet);
        } catch (MalformedPacketException e) {
            return fail("the relay sent what a decoder refuses (" + e.getMessage() + "): " + replay);
        }
    }
}
