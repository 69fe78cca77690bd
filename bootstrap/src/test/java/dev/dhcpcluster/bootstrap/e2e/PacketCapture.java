package dev.dhcpcluster.bootstrap.e2e;

import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.MalformedPacketException;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Records the DHCP traffic on a lab host's interface with {@code tcpdump}, and reads it back as
 * {@link CapturedDhcp} messages decoded by the node's own codec. It shows what the tests cannot
 * learn from a client's script: which kind of request a client sent (INIT-REBOOT, RENEWING,
 * REBINDING), to which MAC and IP address, and what the node answered.
 *
 * <p>tcpdump runs as a {@link LabProcess} of the lab (stopped by its PID when the lab closes) and
 * writes every frame to the file as soon as it sees it, so the file can be read while it runs.
 */
public final class PacketCapture {

    private static final Pattern LISTENING = Pattern.compile("listening on ");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int PCAP_HEADER_LENGTH = 24;
    private static final int RECORD_HEADER_LENGTH = 16;
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int MAGIC_MICROSECONDS = 0xa1b2c3d4;
    private static final int MAGIC_NANOSECONDS = 0xa1b23c4d;
    private static final int ETHER_HEADER_LENGTH = 14;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int PROTOCOL_UDP = 17;
    private static final int UDP_HEADER_LENGTH = 8;

    private final LabProcess tcpdump;
    private final Path file;

    private PacketCapture(LabProcess tcpdump, Path file) {
        this.tcpdump = tcpdump;
        this.file = file;
    }

    /**
     * Starts capturing DHCP (UDP ports 67 and 68) on {@code host}'s interface into
     * {@code <name>.pcap} in the lab's work directory, and returns once tcpdump listens.
     *
     * @param name a short name, unique among the lab's processes
     */
    public static PacketCapture start(NetworkLab lab, LabHost host, String name) {
        Path file = lab.workDirectory().resolve(name + ".pcap");
        // --immediate-mode: frames reach tcpdump at once, not when the kernel's buffer block fills or
        // times out; -U: each one is written to the file as soon as it arrives.
        LabProcess tcpdump = lab.start(name, host, List.of(Tools.require("tcpdump"), "-i", host.interfaceName(),
                "-n", "-p", "--immediate-mode", "-U", "-w", file.toString(), "udp and (port 67 or port 68)"));
        tcpdump.awaitOutput(LISTENING, START_TIMEOUT);
        return new PacketCapture(tcpdump, file);
    }

    /** Returns every DHCP message captured so far, oldest first. */
    public List<CapturedDhcp> messages() {
        byte[] bytes;
        try {
            bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return parse(bytes);
    }

    /** Returns the messages captured at or after {@code since}, oldest first. */
    public List<CapturedDhcp> messagesSince(Instant since) {
        return messages().stream().filter(message -> !message.time().isBefore(since)).toList();
    }

    /**
     * Waits (bounded) for a captured message at or after {@code since} that satisfies
     * {@code condition}, and returns the first; fails with everything captured since then.
     */
    public CapturedDhcp await(String description, Instant since, Predicate<CapturedDhcp> condition,
            Duration timeout) {
        return Poll.until(timeout, description,
                () -> messagesSince(since).stream().filter(condition).findFirst(),
                () -> describeSince(since));
    }

    /** Returns the messages captured since {@code since}, one per line, for failure messages. */
    public String describeSince(Instant since) {
        return "captured by " + tcpdump.name() + " since " + since + ":" + System.lineSeparator()
                + messagesSince(since).stream().map(CapturedDhcp::toString)
                        .collect(Collectors.joining(System.lineSeparator()));
    }

    /**
     * Parses a pcap file (either byte order, micro- or nanosecond timestamps) of Ethernet frames.
     * A record cut short at the end is one tcpdump is still writing, and is left for the next read.
     */
    static List<CapturedDhcp> parse(byte[] bytes) {
        List<CapturedDhcp> messages = new ArrayList<>();
        if (bytes.length < PCAP_HEADER_LENGTH) {
            return messages;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buffer.getInt(0);
        if (magic != MAGIC_MICROSECONDS && magic != MAGIC_NANOSECONDS) {
            buffer.order(ByteOrder.BIG_ENDIAN);
            magic = buffer.getInt(0);
        }
        if (magic != MAGIC_MICROSECONDS && magic != MAGIC_NANOSECONDS) {
            throw new IllegalStateException("not a pcap file: magic number " + Integer.toHexString(magic));
        }
        long fractionNanos = magic == MAGIC_NANOSECONDS ? 1 : 1000;
        int linkType = buffer.getInt(20);
        if (linkType != LINKTYPE_ETHERNET) {
            throw new IllegalStateException("capture of link type " + linkType + ", not Ethernet");
        }
        int position = PCAP_HEADER_LENGTH;
        while (position + RECORD_HEADER_LENGTH <= bytes.length) {
            long seconds = Integer.toUnsignedLong(buffer.getInt(position));
            long fraction = Integer.toUnsignedLong(buffer.getInt(position + 4));
            int capturedLength = buffer.getInt(position + 8);
            int frame = position + RECORD_HEADER_LENGTH;
            if (capturedLength < 0 || frame + capturedLength > bytes.length) {
                break;
            }
            Instant time = Instant.ofEpochSecond(seconds, fraction * fractionNanos);
            frame(bytes, frame, capturedLength, time).ifPresent(messages::add);
            position = frame + capturedLength;
        }
        return messages;
    }

    /** Decodes one Ethernet frame holding an IPv4 UDP datagram with a DHCP message. */
    private static Optional<CapturedDhcp> frame(byte[] bytes, int start, int length, Instant time) {
        ByteBuffer frame = ByteBuffer.wrap(bytes, start, length).slice().order(ByteOrder.BIG_ENDIAN);
        if (length < ETHER_HEADER_LENGTH || (frame.getShort(12) & 0xFFFF) != ETHERTYPE_IPV4) {
            return Optional.empty();
        }
        String destination = mac(bytes, start);
        String source = mac(bytes, start + 6);
        int ip = ETHER_HEADER_LENGTH;
        int ipHeaderLength = (frame.get(ip) & 0x0F) * 4;
        if (length < ip + ipHeaderLength + UDP_HEADER_LENGTH || (frame.get(ip + 9) & 0xFF) != PROTOCOL_UDP) {
            return Optional.empty();
        }
        Ipv4Address ipSource = Ipv4Address.fromBytes(bytes, start + ip + 12);
        Ipv4Address ipDestination = Ipv4Address.fromBytes(bytes, start + ip + 16);
        int udp = ip + ipHeaderLength;
        int payloadLength = Math.min((frame.getShort(udp + 4) & 0xFFFF) - UDP_HEADER_LENGTH,
                length - udp - UDP_HEADER_LENGTH);
        try {
            DhcpMessage message = DhcpCodec.decode(bytes, start + udp + UDP_HEADER_LENGTH, payloadLength);
            return Optional.of(new CapturedDhcp(time, source, destination, ipSource, ipDestination, message));
        } catch (MalformedPacketException e) {
            // Every frame on these ports comes from a real client or the node: a malformed one is a finding.
            throw new IllegalStateException("malformed DHCP message captured at " + time + " from " + ipSource
                    + " to " + ipDestination + ": " + e.getMessage(), e);
        }
    }

    private static String mac(byte[] bytes, int offset) {
        HexFormat hex = HexFormat.ofDelimiter(":");
        return hex.formatHex(bytes, offset, offset + 6);
    }
}
