package dev.dhcpcluster.adapter.tcppeer;

import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.HostNameSent;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerMessage;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The wire form of the four messages a cluster sends for every lease (change, acknowledgement,
 * refusal, commit), in fixed binary fields rather than a CBOR map: they are most of the peer
 * traffic, and the generic tree of a CBOR map cost every node more to build, parse and compile
 * than the rest of its peer work. docs/peer-protocol.md gives the layout.
 *
 * <p>The body's first byte is the kind ({@link #CHANGE} to {@link #COMMIT}); a CBOR map's first
 * byte is 0xA0 or above, so {@link FrameCodec} tells the two forms apart by it. Decoding is as
 * strict as the CBOR form's: a length beyond the body, an unknown kind, state or flag, bytes left
 * over, text that is not UTF-8, or a value a record refuses (a replaced lease of another address,
 * or of a version not below the change's) make the frame malformed. A change carries the lease it
 * replaces in full, in the same fields as the lease itself.
 */
final class LeaseFrames {

    static final byte CHANGE = 1;
    static final byte ACK = 2;
    static final byte REFUSAL = 3;
    static final byte COMMIT = 4;

    /** The states by their wire number, fixed here: reordering the enum must not change the protocol. */
    private static final LeaseState[] STATES = {LeaseState.BOUND, LeaseState.RELEASED, LeaseState.EXPIRED,
        LeaseState.DECLINED};
    private static final byte CLIENT_ID = 1;
    private static final byte HARDWARE = 2;
    private static final int VERSION_BYTES = 8 + 8 + 4;

    private LeaseFrames() {
    }

    /** True if {@code body} (a frame without its prefix) is in this form. */
    static boolean isLeaseFrame(byte[] body) {
        return body.length > 0 && body[0] >= CHANGE && body[0] <= COMMIT;
    }

    /** The frame with its length prefix, or null if {@code message} is not one of the four kinds. */
    static byte[] encode(PeerMessage message) {
        byte kind;
        Lease lease;
        Optional<Lease> replaced = Optional.empty();
        Optional<LeaseVersion> holds = Optional.empty();
        if (message instanceof PeerMessage.LeaseChange change) {
            kind = CHANGE;
            lease = change.lease();
            replaced = change.replaced();
        } else if (message instanceof PeerMessage.LeaseAck ack) {
            kind = ACK;
            lease = ack.lease();
        } else if (message instanceof PeerMessage.LeaseRefusal refusal) {
            kind = REFUSAL;
            lease = refusal.refused();
            holds = refusal.holds();
        } else if (message instanceof PeerMessage.LeaseCommit commit) {
            kind = COMMIT;
            lease = commit.lease();
        } else {
            return null;
        }
        LeaseFields fields = new LeaseFields(lease);
        LeaseFields replacedFields = replaced.map(LeaseFields::new).orElse(null);
        int body = 1 + 4 + 8 // kind, from, epoch
                + fields.bytes()
                + (kind == CHANGE ? 1 + (replacedFields == null ? 0 : replacedFields.bytes()) : 0)
                + (kind == REFUSAL ? 1 + (holds.isPresent() ? VERSION_BYTES : 0) : 0);
        ByteBuffer out = ByteBuffer.allocate(FrameCodec.PREFIX_BYTES + body).putInt(body);
        out.put(kind).putInt(message.from().value()).putLong(message.epoch());
        fields.put(out);
        if (kind == CHANGE) {
            out.put((byte) (replacedFields == null ? 0 : 1));
            if (replacedFields != null) {
                replacedFields.put(out);
            }
        } else if (kind == REFUSAL) {
            out.put((byte) (holds.isPresent() ? 1 : 0));
            holds.ifPresent(v -> putVersion(out, v));
        }
        return out.array();
    }

    /** One lease's variable-length fields, encoded once to size the frame and once to write it. */
    private record LeaseFields(Lease lease, byte[] client, byte[] chaddr, byte[] hostname, byte[] sent) {

        LeaseFields(Lease lease) {
            this(lease, lease.clientKey().bytes(), lease.hardwareAddress().octets(),
                    lease.hostname().map(name -> name.getBytes(StandardCharsets.UTF_8)).orElse(null),
                    lease.hostnameSent().map(HostNameSent::octets).orElse(null));
        }

        int bytes() {
            return 4 + 1 + 2 + client.length + 1 + 1 + chaddr.length // address, client key, htype, chaddr
                    + 1 + (hostname == null ? 0 : 2 + hostname.length)
                    + 1 + 8 + 4 + VERSION_BYTES // state, expiry, version
                    + 1 + (sent == null ? 0 : 2 + sent.length);
        }

        void put(ByteBuffer out) {
            out.putInt(lease.address().value());
            out.put(lease.clientKey().kind() == ClientKey.Kind.CLIENT_ID ? CLIENT_ID : HARDWARE);
            out.putShort((short) client.length).put(client);
            out.put((byte) lease.hardwareAddress().type());
            out.put((byte) chaddr.length).put(chaddr);
            putOptionalBytes(out, hostname);
            out.put((byte) Arrays.asList(STATES).indexOf(lease.state()));
            out.putLong(lease.expiry().getEpochSecond()).putInt(lease.expiry().getNano());
            putVersion(out, lease.version());
            putOptionalBytes(out, sent);
        }
    }

    private static void putOptionalBytes(ByteBuffer out, byte[] bytes) {
        if (bytes == null) {
            out.put((byte) 0);
        } else {
            out.put((byte) 1).putShort((short) bytes.length).put(bytes);
        }
    }

    private static void putVersion(ByteBuffer out, LeaseVersion version) {
        out.putLong(version.epoch()).putLong(version.counter()).putInt(version.writer().value());
    }

    /** The message in {@code body}, which {@link #isLeaseFrame} accepted. */
    static Frame decode(byte[] body) throws MalformedFrameException {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte kind = in.get();
        String name = switch (kind) {
            case CHANGE -> "lease-change";
            case ACK -> "lease-ack";
            case REFUSAL -> "lease-refusal";
            default -> "lease-commit";
        };
        try {
            NodeId from = new NodeId(in.getInt());
            long epoch = in.getLong();
            Lease lease = lease(in, name);
            Optional<Lease> replaced = kind == CHANGE ? optionalLease(in, name) : Optional.empty();
            Optional<LeaseVersion> holds = kind == REFUSAL ? optionalVersion(in, name) : Optional.empty();
            if (in.hasRemaining()) {
                throw new MalformedFrameException(in.remaining() + " bytes after a " + name + " frame");
            }
            PeerMessage message = switch (kind) {
                case CHANGE -> new PeerMessage.LeaseChange(from, epoch, lease, replaced);
                case ACK -> new PeerMessage.LeaseAck(from, epoch, lease);
                case REFUSAL -> new PeerMessage.LeaseRefusal(from, epoch, lease, holds);
                default -> new PeerMessage.LeaseCommit(from, epoch, lease);
            };
            return new Frames.Message(message);
        } catch (BufferUnderflowException e) {
            throw new MalformedFrameException("a " + name + " frame that ends too soon", e);
        } catch (IllegalArgumentException | DateTimeException e) {
            // A record refused what was decoded: a node id 0, a negative epoch, an expiry out of range.
            throw new MalformedFrameException("a " + name + " frame with values it cannot have: " + e.getMessage(), e);
        }
    }

    private static Lease lease(ByteBuffer in, String frame) throws MalformedFrameException {
        Ipv4Address address = Ipv4Address.of(in.getInt());
        byte kind = in.get();
        byte[] client = bytes(in, in.getShort() & 0xFFFF);
        ClientKey key = switch (kind) {
            case CLIENT_ID -> ClientKey.ofClientId(client);
            case HARDWARE -> {
                if (client.length < 1) {
                    throw new MalformedFrameException("a lease in a " + frame + " frame with a hardware client key "
                            + "without its type");
                }
                yield ClientKey.ofHardware(HardwareAddress.of(client[0] & 0xFF, Arrays.copyOfRange(client, 1,
                        client.length)));
            }
            default -> throw new MalformedFrameException("a lease in a " + frame + " frame with client key kind " + kind);
        };
        int htype = in.get() & 0xFF;
        HardwareAddress chaddr = HardwareAddress.of(htype, bytes(in, in.get() & 0xFF));
        byte[] hostnameBytes = optionalBytes(in, frame);
        Optional<String> hostname = hostnameBytes == null ? Optional.empty() : Optional.of(utf8(hostnameBytes, frame));
        int state = in.get();
        if (state < 0 || state >= STATES.length) {
            throw new MalformedFrameException("a lease in a " + frame + " frame with state " + state);
        }
        long seconds = in.getLong();
        int nanos = in.getInt();
        if (nanos < 0 || nanos > 999_999_999) {
            throw new MalformedFrameException("a lease in a " + frame + " frame with " + nanos + " nanoseconds");
        }
        Instant expiry = Instant.ofEpochSecond(seconds, nanos);
        LeaseVersion version = version(in);
        byte[] sent = optionalBytes(in, frame);
        return new Lease(address, key, chaddr, hostname, STATES[state], expiry, version,
                sent == null ? Optional.empty() : Optional.of(HostNameSent.of(sent)));
    }

    private static LeaseVersion version(ByteBuffer in) {
        return new LeaseVersion(in.getLong(), in.getLong(), new NodeId(in.getInt()));
    }

    private static Optional<Lease> optionalLease(ByteBuffer in, String frame) throws MalformedFrameException {
        return switch (in.get()) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(lease(in, frame));
            default -> throw new MalformedFrameException("a " + frame + " frame with a bad replaced-lease flag");
        };
    }

    private static Optional<LeaseVersion> optionalVersion(ByteBuffer in, String frame) throws MalformedFrameException {
        return switch (in.get()) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(version(in));
            default -> throw new MalformedFrameException("a " + frame + " frame with a bad version flag");
        };
    }

    private static byte[] optionalBytes(ByteBuffer in, String frame) throws MalformedFrameException {
        return switch (in.get()) {
            case 0 -> null;
            case 1 -> bytes(in, in.getShort() & 0xFFFF);
            default -> throw new MalformedFrameException("a lease in a " + frame + " frame with a bad presence flag");
        };
    }

    private static byte[] bytes(ByteBuffer in, int length) {
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static String utf8(byte[] bytes, String frame) throws MalformedFrameException {
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return text.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedFrameException("a lease in a " + frame + " frame with a host name that is not UTF-8", e);
        }
    }
}
