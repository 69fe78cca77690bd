package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.charset.StandardCharsets;

/**
 * Builds client messages for tests, so test data reads as what a client sends:
 * {@code TestPackets.discover().withClientId(id).withRequestedAddress("198.18.0.10").build()}.
 *
 * <p>Every packet starts as a BOOTREQUEST from Ethernet address {@code 02:00:00:00:00:01} with
 * xid {@code 0x0000d1c0}, all addresses zero, and option 53 as its only option; each
 * {@code with...} call adds or replaces one thing. Options appear in the order they were added.
 */
public final class TestPackets {

    /** The hardware address every packet starts with. */
    public static final HardwareAddress DEFAULT_MAC = HardwareAddress.parseEthernet("02:00:00:00:00:01");
    /** The transaction id every packet starts with. */
    public static final int DEFAULT_XID = 0xd1c0;

    private TestPackets() {
    }

    /** A DHCPDISCOVER. */
    public static Packet discover() {
        return new Packet(DhcpMessageType.DISCOVER);
    }

    /** A DHCPREQUEST; add option 50/54 or ciaddr for the state it models (selecting, renewing...). */
    public static Packet request() {
        return new Packet(DhcpMessageType.REQUEST);
    }

    /** A DHCPDECLINE. */
    public static Packet decline() {
        return new Packet(DhcpMessageType.DECLINE);
    }

    /** A DHCPRELEASE. */
    public static Packet release() {
        return new Packet(DhcpMessageType.RELEASE);
    }

    /** A DHCPINFORM. */
    public static Packet inform() {
        return new Packet(DhcpMessageType.INFORM);
    }

    /** A message of any type, for replies or unusual cases. */
    public static Packet ofType(DhcpMessageType type) {
        return new Packet(type);
    }

    /** One message under construction; every method returns this builder. */
    public static final class Packet {
        private final DhcpMessage.Builder message = DhcpMessage.builder()
                .op(DhcpMessage.BOOTREQUEST)
                .xid(DEFAULT_XID)
                .hardwareAddress(DEFAULT_MAC);
        private final DhcpOptions.Builder options = DhcpOptions.builder();

        private Packet(DhcpMessageType type) {
            options.messageType(type);
        }

        public Packet withXid(int xid) {
            message.xid(xid);
            return this;
        }

        public Packet withOp(int op) {
            message.op(op);
            return this;
        }

        public Packet withHardwareAddress(HardwareAddress address) {
            message.hardwareAddress(address);
            return this;
        }

        /** Ethernet address as {@code 02:00:00:00:00:2a}. */
        public Packet withHardwareAddress(String mac) {
            return withHardwareAddress(HardwareAddress.parseEthernet(mac));
        }

        /** Sets {@code hlen} alone, keeping {@code htype} and the {@code chaddr} octets. */
        public Packet withHlen(int hlen) {
            message.hlen(hlen);
            return this;
        }

        public Packet withClientId(byte[] clientId) {
            return withOption(OptionCode.CLIENT_IDENTIFIER, clientId);
        }

        /** Client identifier as hex ({@code 01:02:00:00:00:00:01}). */
        public Packet withClientId(String hex) {
            return withClientId(OptionCatalog.parseHex(hex));
        }

        public Packet withRequestedAddress(Ipv4Address address) {
            options.address(OptionCode.REQUESTED_ADDRESS, address);
            return this;
        }

        public Packet withRequestedAddress(String address) {
            return withRequestedAddress(Ipv4Address.parse(address));
        }

        public Packet withServerIdentifier(Ipv4Address address) {
            options.address(OptionCode.SERVER_IDENTIFIER, address);
            return this;
        }

        public Packet withServerIdentifier(String address) {
            return withServerIdentifier(Ipv4Address.parse(address));
        }

        public Packet withRequestedLeaseTime(long seconds) {
            options.uint32(OptionCode.LEASE_TIME, seconds);
            return this;
        }

        public Packet withParameterRequestList(int... codes) {
            byte[] list = new byte[codes.length];
            for (int i = 0; i < codes.length; i++) {
                list[i] = (byte) codes[i];
            }
            return withOption(OptionCode.PARAMETER_REQUEST_LIST, list);
        }

        public Packet withMaxMessageSize(int octets) {
            options.uint16(OptionCode.MAX_MESSAGE_SIZE, octets);
            return this;
        }

        public Packet withHostName(String name) {
            options.string(OptionCode.HOST_NAME, name);
            return this;
        }

        public Packet withVendorClass(String vendorClass) {
            options.string(OptionCode.VENDOR_CLASS_IDENTIFIER, vendorClass);
            return this;
        }

        /** Option 82 with the given sub-options, as a relay agent adds it. */
        public Packet withRelayAgentInformation(byte[] subOptions) {
            return withOption(OptionCode.RELAY_AGENT_INFORMATION, subOptions);
        }

        /**
         * Appends one sub-option to option 82 (added if absent), as a relay agent writes it:
         * code, length, value.
         */
        public Packet withRelayAgentSubOption(int code, byte[] value) {
            byte[] encoded = new byte[2 + value.length];
            encoded[0] = (byte) code;
            encoded[1] = (byte) value.length;
            System.arraycopy(value, 0, encoded, 2, value.length);
            options.append(OptionCode.RELAY_AGENT_INFORMATION, encoded, 0, encoded.length);
            return this;
        }

        /** Option 118 (RFC 3011). */
        public Packet withSubnetSelection(String address) {
            options.address(OptionCode.SUBNET_SELECTION, Ipv4Address.parse(address));
            return this;
        }

        /** Any option; replaces the value if the code is already present. */
        public Packet withOption(int code, byte[] value) {
            options.put(code, value);
            return this;
        }

        public Packet withoutOption(int code) {
            options.remove(code);
            return this;
        }

        public Packet withCiaddr(String address) {
            message.ciaddr(Ipv4Address.parse(address));
            return this;
        }

        public Packet withYiaddr(String address) {
            message.yiaddr(Ipv4Address.parse(address));
            return this;
        }

        public Packet withSiaddr(String address) {
            message.siaddr(Ipv4Address.parse(address));
            return this;
        }

        /** giaddr, as a relay sets it; usually with {@link #withHops(int)}. */
        public Packet withGiaddr(String address) {
            message.giaddr(Ipv4Address.parse(address));
            return this;
        }

        public Packet withHops(int hops) {
            message.hops(hops);
            return this;
        }

        public Packet withSecs(int secs) {
            message.secs(secs);
            return this;
        }

        public Packet withBroadcastFlag() {
            message.flags(DhcpMessage.FLAG_BROADCAST);
            return this;
        }

        public Packet withSname(String sname) {
            message.sname(sname.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        public Packet withFile(String file) {
            message.file(file.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        public DhcpMessage build() {
            return message.options(options.build()).build();
        }

        /** The message as a client puts it on the wire (default 576 maximum message size). */
        public byte[] encode() {
            return DhcpCodec.encode(build(), DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
        }
    }
}
