package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One BOOTP/DHCP message (RFC 2131 §2): the fixed header fields and the options, immutable.
 *
 * <p>{@code sname} and {@code file} hold only what the fields mean as text; when a sender
 * overloaded them with options (option 52), the decoder has moved those options into
 * {@link #options()} and left the fields empty. Build instances with {@link #builder()}.
 */
public final class DhcpMessage {

    /** {@code op} of a message from client to server. */
    public static final int BOOTREQUEST = 1;
    /** {@code op} of a message from server to client. */
    public static final int BOOTREPLY = 2;
    /** The broadcast bit of {@code flags} (RFC 2131 §2, figure 2). */
    public static final int FLAG_BROADCAST = 0x8000;
    /** Size of the {@code chaddr} field. */
    public static final int CHADDR_LENGTH = 16;
    /** Size of the {@code sname} field. */
    public static final int SNAME_LENGTH = 64;
    /** Size of the {@code file} field. */
    public static final int FILE_LENGTH = 128;

    private final int op;
    private final int htype;
    private final int hlen;
    private final int hops;
    private final int xid;
    private final int secs;
    private final int flags;
    private final Ipv4Address ciaddr;
    private final Ipv4Address yiaddr;
    private final Ipv4Address siaddr;
    private final Ipv4Address giaddr;
    private final byte[] chaddr;
    private final byte[] sname;
    private final byte[] file;
    private final DhcpOptions options;

    /** Shared by every message whose field is all zeros; never written into. */
    private static final byte[] ZERO_CHADDR = new byte[CHADDR_LENGTH];
    private static final byte[] ZERO_SNAME = new byte[SNAME_LENGTH];
    private static final byte[] ZERO_FILE = new byte[FILE_LENGTH];

    private DhcpMessage(Builder b) {
        this.op = checkOctet("op", b.op);
        this.htype = checkOctet("htype", b.htype);
        this.hlen = checkOctet("hlen", b.hlen);
        this.hops = checkOctet("hops", b.hops);
        this.xid = b.xid;
        this.secs = checkUint16("secs", b.secs);
        this.flags = checkUint16("flags", b.flags);
        this.ciaddr = Objects.requireNonNull(b.ciaddr, "ciaddr");
        this.yiaddr = Objects.requireNonNull(b.yiaddr, "yiaddr");
        this.siaddr = Objects.requireNonNull(b.siaddr, "siaddr");
        this.giaddr = Objects.requireNonNull(b.giaddr, "giaddr");
        // No copies: a builder's arrays are its own (every setter copies what it is given) and
        // are replaced, never written into, so a message and its builder may share them.
        this.chaddr = b.chaddr;
        this.sname = b.sname;
        this.file = b.file;
        this.options = Objects.requireNonNull(b.options, "options");
    }

    private static int checkOctet(String field, int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(field + " is one octet (0-255), not " + value);
        }
        return value;
    }

    private static int checkUint16(String field, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(field + " is two octets (0-65535), not " + value);
        }
        return value;
    }

    /** A builder with every field zero, {@code htype} Ethernet and {@code hlen} 6. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this message's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.op = op;
        b.htype = htype;
        b.hlen = hlen;
        b.hops = hops;
        b.xid = xid;
        b.secs = secs;
        b.flags = flags;
        b.ciaddr = ciaddr;
        b.yiaddr = yiaddr;
        b.siaddr = siaddr;
        b.giaddr = giaddr;
        b.chaddr = chaddr; // shared: neither a message nor a builder writes into these arrays
        b.sname = sname;
        b.file = file;
        b.options = options;
        return b;
    }

    public int op() {
        return op;
    }

    public int htype() {
        return htype;
    }

    public int hlen() {
        return hlen;
    }

    public int hops() {
        return hops;
    }

    public int xid() {
        return xid;
    }

    public int secs() {
        return secs;
    }

    public int flags() {
        return flags;
    }

    /** True if the client asked for broadcast replies. */
    public boolean broadcastFlag() {
        return (flags & FLAG_BROADCAST) != 0;
    }

    public Ipv4Address ciaddr() {
        return ciaddr;
    }

    public Ipv4Address yiaddr() {
        return yiaddr;
    }

    public Ipv4Address siaddr() {
        return siaddr;
    }

    public Ipv4Address giaddr() {
        return giaddr;
    }

    /** A copy of the whole 16-octet {@code chaddr} field. */
    public byte[] chaddr() {
        return chaddr.clone();
    }

    /** A copy of the 64-octet {@code sname} field. */
    public byte[] sname() {
        return sname.clone();
    }

    /** A copy of the 128-octet {@code file} field. */
    public byte[] file() {
        return file.clone();
    }

    public DhcpOptions options() {
        return options;
    }

    /**
     * The 16-octet {@code chaddr} field itself, not a copy, for readers in this package that must
     * not allocate ({@link ClientBuckets}); never modify it.
     */
    byte[] chaddrField() {
        return chaddr;
    }

    /** Writes the 16-octet {@code chaddr} field into {@code target} without copying it first (the encoder's hot path). */
    void writeChaddrTo(byte[] target, int offset) {
        System.arraycopy(chaddr, 0, target, offset, CHADDR_LENGTH);
    }

    /** Writes the 64-octet {@code sname} field into {@code target}. */
    void writeSnameTo(byte[] target, int offset) {
        System.arraycopy(sname, 0, target, offset, SNAME_LENGTH);
    }

    /** Writes the 128-octet {@code file} field into {@code target}. */
    void writeFileTo(byte[] target, int offset) {
        System.arraycopy(file, 0, target, offset, FILE_LENGTH);
    }

    /** True if {@code sname} is all zero, so the encoder may overload it with options. */
    boolean snameIsEmpty() {
        return isAllZero(sname);
    }

    /** True if {@code file} is all zero, so the encoder may overload it with options. */
    boolean fileIsEmpty() {
        return isAllZero(file);
    }

    private static boolean isAllZero(byte[] field) {
        for (byte b : field) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The message type of option 53, if present and known. */
    public Optional<DhcpMessageType> messageType() {
        return options.messageType();
    }

    /** {@code htype} with the first {@code hlen} octets of {@code chaddr} (at most 16). */
    public HardwareAddress hardwareAddress() {
        return HardwareAddress.of(htype, Arrays.copyOf(chaddr, Math.min(hlen, CHADDR_LENGTH)));
    }

    /**
     * The key a lease for this client is stored under: option 61 if present and non-empty, else the
     * hardware address; empty if the client has neither. A hardware address is usable only if
     * {@code hlen} is 1 to 16: with {@code hlen} 0 every client would have the same key (the
     * hardware type alone), whatever its {@code chaddr}, and an {@code hlen} above 16 does not fit
     * {@code chaddr}.
     */
    public Optional<ClientKey> clientKey() {
        Optional<byte[]> clientId = options.get(OptionCode.CLIENT_IDENTIFIER);
        if (clientId.isPresent() && clientId.get().length > 0) {
            return Optional.of(ClientKey.ofClientId(clientId.get()));
        }
        if (hlen == 0 || hlen > CHADDR_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(ClientKey.ofHardware(hardwareAddress()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DhcpMessage m
                && op == m.op && htype == m.htype && hlen == m.hlen && hops == m.hops && xid == m.xid
                && secs == m.secs && flags == m.flags && ciaddr.equals(m.ciaddr) && yiaddr.equals(m.yiaddr)
                && siaddr.equals(m.siaddr) && giaddr.equals(m.giaddr) && Arrays.equals(chaddr, m.chaddr)
                && Arrays.equals(sname, m.sname) && Arrays.equals(file, m.file) && options.equals(m.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, xid, ciaddr, yiaddr, giaddr, Arrays.hashCode(chaddr), options);
    }

    @Override
    public String toString() {
        return "DhcpMessage{op=" + op + ", type=" + messageType().map(Enum::name).orElse("none")
                + ", xid=0x" + Integer.toHexString(xid) + ", chaddr=" + hardwareAddress()
                + ", ciaddr=" + ciaddr + ", yiaddr=" + yiaddr + ", siaddr=" + siaddr + ", giaddr=" + giaddr
                + ", flags=0x" + Integer.toHexString(flags) + ", hops=" + hops + ", options=" + options + '}';
    }

    /** Sets fields one by one; {@link #build()} validates them. */
    public static final class Builder {
        private int op = BOOTREQUEST;
        private int htype = HardwareAddress.ETHERNET;
        private int hlen = 6;
        private int hops;
        private int xid;
        private int secs;
        private int flags;
        private Ipv4Address ciaddr = Ipv4Address.ZERO;
        private Ipv4Address yiaddr = Ipv4Address.ZERO;
        private Ipv4Address siaddr = Ipv4Address.ZERO;
        private Ipv4Address giaddr = Ipv4Address.ZERO;
        // Never written into, only replaced: the builder and the messages it builds share them.
        private byte[] chaddr = ZERO_CHADDR;
        private byte[] sname = ZERO_SNAME;
        private byte[] file = ZERO_FILE;
        private DhcpOptions options = DhcpOptions.empty();

        private Builder() {
        }

        public Builder op(int value) {
            op = value;
            return this;
        }

        public Builder htype(int value) {
            htype = value;
            return this;
        }

        public Builder hlen(int value) {
            hlen = value;
            return this;
        }

        public Builder hops(int value) {
            hops = value;
            return this;
        }

        public Builder xid(int value) {
            xid = value;
            return this;
        }

        public Builder secs(int value) {
            secs = value;
            return this;
        }

        public Builder flags(int value) {
            flags = value;
            return this;
        }

        public Builder ciaddr(Ipv4Address value) {
            ciaddr = value;
            return this;
        }

        public Builder yiaddr(Ipv4Address value) {
            yiaddr = value;
            return this;
        }

        public Builder siaddr(Ipv4Address value) {
            siaddr = value;
            return this;
        }

        public Builder giaddr(Ipv4Address value) {
            giaddr = value;
            return this;
        }

        /** Sets {@code chaddr} to up to 16 octets (zero-padded); does not change {@code hlen}. */
        public Builder chaddr(byte[] value) {
            chaddr = fixed("chaddr", value, CHADDR_LENGTH);
            return this;
        }

        /** Sets {@code htype}, {@code hlen} and {@code chaddr} from a hardware address. */
        public Builder hardwareAddress(HardwareAddress address) {
            htype = address.type();
            hlen = address.length();
            chaddr = fixed("chaddr", address.octets(), CHADDR_LENGTH);
            return this;
        }

        /** Sets {@code sname} to up to 64 octets (zero-padded). */
        public Builder sname(byte[] value) {
            sname = fixed("sname", value, SNAME_LENGTH);
            return this;
        }

        /** Sets {@code file} to up to 128 octets (zero-padded). */
        public Builder file(byte[] value) {
            file = fixed("file", value, FILE_LENGTH);
            return this;
        }

        public Builder options(DhcpOptions value) {
            options = value;
            return this;
        }

        public DhcpMessage build() {
            return new DhcpMessage(this);
        }

        /**
         * The decoder's way to set {@code chaddr}, {@code sname} and {@code file} straight from a
         * packet's octets, without an intermediate copy; a negative offset leaves {@code sname} or
         * {@code file} as it is (an overloaded field, which holds options instead).
         */
        Builder fieldsFrom(byte[] packet, int chaddrAt, int snameAt, int fileAt) {
            chaddr = Arrays.copyOfRange(packet, chaddrAt, chaddrAt + CHADDR_LENGTH);
            if (snameAt >= 0) {
                sname = zeroOrCopy(packet, snameAt, SNAME_LENGTH, ZERO_SNAME);
            }
            if (fileAt >= 0) {
                file = zeroOrCopy(packet, fileAt, FILE_LENGTH, ZERO_FILE);
            }
            return this;
        }

        /** Most clients leave {@code sname} and {@code file} empty: those share one array of zeros. */
        private static byte[] zeroOrCopy(byte[] packet, int from, int size, byte[] zeros) {
            for (int i = from; i < from + size; i++) {
                if (packet[i] != 0) {
                    return Arrays.copyOfRange(packet, from, from + size);
                }
            }
            return zeros;
        }

        private static byte[] fixed(String field, byte[] value, int size) {
            if (value.length > size) {
                throw new IllegalArgumentException(field + " holds at most " + size + " octets, not " + value.length);
            }
            return Arrays.copyOf(value, size);
        }
    }
}
