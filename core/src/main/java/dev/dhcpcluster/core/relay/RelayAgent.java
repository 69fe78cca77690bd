package dev.dhcpcluster.core.relay;

import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The forwarding rules of a DHCP relay agent (RFC 1542 §4, RFC 2131 §4.1, RFC 3046), as pure
 * decisions on the raw octets of one datagram. Immutable and stateless: safe from any thread.
 *
 * <h2>A request from a client</h2>
 * A BOOTREQUEST received on a client-facing interface is checked, then forwarded to every
 * configured server, in this order:
 * <ol>
 *   <li>dropped if malformed (see {@link RelayDropReason#MALFORMED}), or a BOOTREPLY;</li>
 *   <li>dropped if its {@code hops} exceed {@code max-hops} (RFC 1542 §4.1.1: the field counts the
 *       relays already passed, so a request that has passed more than the limit goes no further);</li>
 *   <li>giaddr already set (the request came through another relay): dropped if giaddr is one of
 *       this relay's addresses, since nobody else may claim them; otherwise forwarded with giaddr
 *       unchanged and no option added (RFC 3046 §2.1.1);</li>
 *   <li>giaddr zero and option 82 present: dropped on an untrusted interface; on a trusted one
 *       forwarded with giaddr set and no second option 82 (RFC 3046 §2.1);</li>
 *   <li>otherwise giaddr is set to the interface's address and option 82 (circuit-id = the
 *       interface's name, then the remote-id if configured) is added as the last option of the
 *       options field, just before its END, never in an overloaded {@code sname} or {@code file}
 *       (RFC 3046 §2.1). The option takes the place of the padding after END where there is
 *       enough; otherwise the message grows, up to the configured maximum length. A request with
 *       no room even then is forwarded without the option, as RFC 3046 §2.1 requires, and the
 *       decision says so ({@link AgentInformation#NO_ROOM}).</li>
 * </ol>
 * In every forwarded request {@code hops} is incremented. No other octet changes: the relay edits
 * the received bytes rather than decoding and re-encoding them, so options the relay does not know,
 * their order, PADs and repeated instances all reach the server as the client sent them.
 *
 * <h2>A reply from a server</h2>
 * A BOOTREPLY is accepted only from a configured server, only if well formed, and only if its
 * giaddr is the address of one of the relay's interfaces: the reply goes out of that interface.
 * If it carries the very option 82 this relay adds on that interface, that option is removed
 * (RFC 3046 §2.2): the following octets move up and the message keeps its length with zeros after
 * its END. An option 82 with other content, or with instances in an overloaded {@code sname} or
 * {@code file} (where a server never puts it), was added by a trusted element nearer the client,
 * which removes it itself, so it stays. The destination follows RFC 2131 §4.1 and RFC 1542 §5.4:
 * <ol>
 *   <li>the broadcast flag set, or a DHCPNAK: broadcast, because the client cannot take a unicast
 *       (or its idea of its address is wrong);</li>
 *   <li>ciaddr set (a client renewing or rebinding through the relay): unicast to ciaddr;</li>
 *   <li>no yiaddr or no hardware address to send a frame to: broadcast;</li>
 *   <li>otherwise: unicast to yiaddr at chaddr, a frame only a raw transport can send without
 *       ARP; a transport that cannot broadcasts instead.</li>
 * </ol>
 *
 * <p>Hostile input never throws: whatever the bytes, the answer is a {@link RelayDecision}.
 */
public final class RelayAgent {

    private static final int BOOTREQUEST = DhcpMessage.BOOTREQUEST;
    private static final int BOOTREPLY = DhcpMessage.BOOTREPLY;
    private static final int CIRCUIT_ID = 1;
    private static final int REMOTE_ID = 2;

    private final RelaySettings settings;
    private final List<Delivery.Unicast> servers;
    /** The whole option 82 (code, length, value) this relay adds on each interface, by name. */
    private final Map<String, byte[]> agentOptions = new HashMap<>();

    /** A relay agent for {@code settings}. */
    public RelayAgent(RelaySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.servers = settings.servers().stream()
                .map(server -> new Delivery.Unicast(server, settings.serverPort()))
                .toList();
        for (RelayInterface face : settings.interfaces()) {
            agentOptions.put(face.name(), agentOption(face.circuitId(), settings.remoteId()));
        }
    }

    /** The settings this agent follows. */
    public RelaySettings settings() {
        return settings;
    }

    /**
     * The option 82 this relay adds to requests received on {@code face}, as it appears in the
     * packet: code 82, length, circuit-id sub-option, remote-id sub-option if configured.
     *
     * @throws IllegalArgumentException if {@code face} is not one of this relay's interfaces
     */
    public byte[] agentOption(RelayInterface face) {
        byte[] option = agentOptions.get(face.name());
        if (option == null || !settings.interfaces().contains(face)) {
            throw new IllegalArgumentException("interface " + face.name() + " is not one of this relay's");
        }
        return option.clone();
    }

    /**
     * What to do with {@code packet}, a UDP payload received from a client on the interface called
     * {@code interfaceName}.
     */
    public RelayDecision fromClient(byte[] packet, String interfaceName) {
        Objects.requireNonNull(packet, "packet");
        Optional<RelayInterface> received = settings.interfaceNamed(interfaceName);
        if (received.isEmpty()) {
            return new RelayDecision.Drop(RelayDropReason.UNKNOWN_INTERFACE);
        }
        RelayInterface face = received.get();
        Framing framing = Framing.read(packet);
        if (framing == null) {
            return new RelayDecision.Drop(RelayDropReason.MALFORMED);
        }
        if (Framing.u8(packet, Framing.OP) != BOOTREQUEST) {
            return new RelayDecision.Drop(RelayDropReason.NOT_A_REQUEST);
        }
        int hops = Framing.u8(packet, Framing.HOPS);
        if (hops > settings.maxHops()) {
            return new RelayDecision.Drop(RelayDropReason.TOO_MANY_HOPS);
        }
        Ipv4Address giaddr = Ipv4Address.of(Framing.int32(packet, Framing.GIADDR));
        if (!giaddr.isZero()) {
            if (settings.interfaceAt(giaddr).isPresent()) {
                return new RelayDecision.Drop(RelayDropReason.SPOOFED_GIADDR);
            }
            return forward(withHops(packet.clone(), hops), AgentInformation.RELAYED_BEFORE);
        }
        if (framing.agentInformation) {
            if (!face.trusted()) {
                return new RelayDecision.Drop(RelayDropReason.UNTRUSTED_AGENT_INFORMATION);
            }
            return forward(withGiaddr(withHops(packet.clone(), hops), face), AgentInformation.KEPT_FROM_TRUSTED_INTERFACE);
        }
        byte[] option = agentOptions.get(face.name());
        byte[] added = withAgentOption(packet, framing.end, option);
        if (added == null) {
            return forward(withGiaddr(withHops(packet.clone(), hops), face), AgentInformation.NO_ROOM);
        }
        return forward(withGiaddr(withHops(added, hops), face), AgentInformation.ADDED);
    }

    /**
     * What to do with {@code packet}, a UDP payload received from {@code source} on the server
     * side.
     */
    public RelayDecision fromServer(byte[] packet, Ipv4Address source) {
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(source, "source");
        if (!settings.isServer(source)) {
            return new RelayDecision.Drop(RelayDropReason.SPOOFED_REPLY);
        }
        Framing framing = Framing.read(packet);
        if (framing == null) {
            return new RelayDecision.Drop(RelayDropReason.MALFORMED);
        }
        if (Framing.u8(packet, Framing.OP) != BOOTREPLY) {
            return new RelayDecision.Drop(RelayDropReason.NOT_A_REPLY);
        }
        Optional<RelayInterface> via = settings.interfaceAt(Ipv4Address.of(Framing.int32(packet, Framing.GIADDR)));
        if (via.isEmpty()) {
            return new RelayDecision.Drop(RelayDropReason.NOT_FOR_THIS_RELAY);
        }
        byte[] reply = framing.agentInformationOverloaded
                ? packet.clone()
                : withoutAgentOption(packet, framing.end, agentOptions.get(via.get().name()));
        return new RelayDecision.ToClient(reply, via.get(), destination(packet, framing));
    }

    private RelayDecision forward(byte[] packet, AgentInformation agentInformation) {
        return new RelayDecision.ToServers(packet, servers, agentInformation);
    }

    private Delivery destination(byte[] packet, Framing framing) {
        int port = settings.clientPort();
        boolean broadcastFlag = (Framing.u16(packet, Framing.FLAGS) & DhcpMessage.FLAG_BROADCAST) != 0;
        if (broadcastFlag || framing.messageType == DhcpMessageType.NAK.code()) {
            return new Delivery.Broadcast(port);
        }
        Ipv4Address ciaddr = Ipv4Address.of(Framing.int32(packet, Framing.CIADDR));
        if (!ciaddr.isZero()) {
            return new Delivery.Unicast(ciaddr, port);
        }
        Ipv4Address yiaddr = Ipv4Address.of(Framing.int32(packet, Framing.YIADDR));
        int hlen = Framing.u8(packet, Framing.HLEN);
        if (yiaddr.isZero() || yiaddr.equals(Ipv4Address.BROADCAST) || hlen == 0) {
            return new Delivery.Broadcast(port);
        }
        HardwareAddress chaddr = HardwareAddress.of(Framing.htype(packet),
                Arrays.copyOfRange(packet, Framing.CHADDR, Framing.CHADDR + hlen));
        return new Delivery.UnicastToHardware(yiaddr, chaddr, port);
    }

    private static byte[] withHops(byte[] packet, int hops) {
        packet[Framing.HOPS] = (byte) (hops + 1);
        return packet;
    }

    private static byte[] withGiaddr(byte[] packet, RelayInterface face) {
        face.address().writeTo(packet, Framing.GIADDR);
        return packet;
    }

    /**
     * A copy of {@code packet} with {@code option} in place of the END at {@code end}, followed by
     * END and as much of the original padding as keeps the length; longer only when the padding is
     * too short, and {@code null} if that would pass the maximum message length.
     */
    private byte[] withAgentOption(byte[] packet, int end, byte[] option) {
        int padding = packet.length - end - 1;
        int length = packet.length;
        if (option.length > padding) {
            length = end + option.length + 1;
            if (length > settings.maxMessageLength()) {
                return null;
            }
        }
        byte[] out = new byte[length];
        System.arraycopy(packet, 0, out, 0, end);
        System.arraycopy(option, 0, out, end, option.length);
        out[end + option.length] = (byte) OptionCode.END;
        int tail = length - end - option.length - 1;
        System.arraycopy(packet, end + 1, out, end + option.length + 1, tail);
        return out;
    }

    /**
     * A copy of {@code packet} without the instances of option 82 in its options field, if those
     * instances hold exactly {@code ours}; an unchanged copy otherwise. The octets after the
     * removed ones move up, and the freed octets at the end become zeros, so the length stays.
     */
    private static byte[] withoutAgentOption(byte[] packet, int end, byte[] ours) {
        byte[] out = packet.clone();
        int valueLength = ours.length - 2;
        int seen = 0;
        for (int i = DhcpCodec.OPTIONS_OFFSET; i < end; ) {
            int code = packet[i] & 0xFF;
            if (code == OptionCode.PAD) {
                i++;
                continue;
            }
            int length = packet[i + 1] & 0xFF;
            if (code == OptionCode.RELAY_AGENT_INFORMATION) {
                if (seen + length > valueLength
                        || !Arrays.equals(packet, i + 2, i + 2 + length, ours, 2 + seen, 2 + seen + length)) {
                    return out;
                }
                seen += length;
            }
            i += 2 + length;
        }
        if (seen != valueLength) {
            return out;
        }
        int write = DhcpCodec.OPTIONS_OFFSET;
        for (int i = write; i < packet.length; ) {
            int code = packet[i] & 0xFF;
            if (i < end && code != OptionCode.PAD) {
                int length = packet[i + 1] & 0xFF;
                if (code != OptionCode.RELAY_AGENT_INFORMATION) {
                    System.arraycopy(packet, i, out, write, 2 + length);
                    write += 2 + length;
                }
                i += 2 + length;
            } else {
                out[write++] = packet[i++];
            }
        }
        Arrays.fill(out, write, out.length, (byte) 0);
        return out;
    }

    private static byte[] agentOption(byte[] circuitId, Optional<Octets> remoteId) {
        byte[] remote = remoteId.map(Octets::toByteArray).orElse(new byte[0]);
        int valueLength = 2 + circuitId.length + (remote.length == 0 ? 0 : 2 + remote.length);
        byte[] option = new byte[2 + valueLength];
        option[0] = (byte) OptionCode.RELAY_AGENT_INFORMATION;
        option[1] = (byte) valueLength;
        option[2] = CIRCUIT_ID;
        option[3] = (byte) circuitId.length;
        System.arraycopy(circuitId, 0, option, 4, circuitId.length);
        if (remote.length > 0) {
            int at = 4 + circuitId.length;
            option[at] = REMOTE_ID;
            option[at + 1] = (byte) remote.length;
            System.arraycopy(remote, 0, option, at + 2, remote.length);
        }
        return option;
    }
}
