package dev.dhcpcluster.core.testing;

import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;

/**
 * Builds the messages a DHCP client sends, as {@link DhcpMessage} objects, so that policy tests
 * read as what the client does: {@code ClientMessages.discover(MAC).requested("198.18.0.15")}.
 */
public final class ClientMessages {

    private ClientMessages() {
    }

    public static Builder discover(String mac) {
        return new Builder(DhcpMessageType.DISCOVER, mac);
    }

    public static Builder request(String mac) {
        return new Builder(DhcpMessageType.REQUEST, mac);
    }

    public static Builder decline(String mac) {
        return new Builder(DhcpMessageType.DECLINE, mac);
    }

    public static Builder release(String mac) {
        return new Builder(DhcpMessageType.RELEASE, mac);
    }

    public static Builder inform(String mac) {
        return new Builder(DhcpMessageType.INFORM, mac);
    }

    /** Sets fields and options of one client message; later calls win. */
    public static final class Builder {
        private final DhcpMessage.Builder message = DhcpMessage.builder();
        private final DhcpOptions.Builder options = DhcpOptions.builder();

        private Builder(DhcpMessageType type, String mac) {
            message.op(DhcpMessage.BOOTREQUEST).xid(0x1234abcd).hardwareAddress(HardwareAddress.parseEthernet(mac));
            options.messageType(type);
        }

        public Builder xid(int xid) {
            message.xid(xid);
            return this;
        }

        public Builder hops(int hops) {
            message.hops(hops);
            return this;
        }

        public Builder secs(int secs) {
            message.secs(secs);
            return this;
        }

        public Builder broadcast() {
            message.flags(DhcpMessage.FLAG_BROADCAST);
            return this;
        }

        public Builder op(int op) {
            message.op(op);
            return this;
        }

        public Builder ciaddr(String address) {
            message.ciaddr(Ipv4Address.parse(address));
            return this;
        }

        public Builder giaddr(String address) {
            message.giaddr(Ipv4Address.parse(address));
            return this;
        }

        /** Option 50. */
        public Builder requested(String address) {
            options.address(OptionCode.REQUESTED_ADDRESS, Ipv4Address.parse(address));
            return this;
        }

        /** Option 54. */
        public Builder serverId(String address) {
            options.address(OptionCode.SERVER_IDENTIFIER, Ipv4Address.parse(address));
            return this;
        }

        /** Option 61. */
        public Builder clientId(byte... id) {
            options.put(OptionCode.CLIENT_IDENTIFIER, id);
            return this;
        }

        /** Option 51, in seconds. */
        public Builder leaseTime(long seconds) {
            options.uint32(OptionCode.LEASE_TIME, seconds);
            return this;
        }

        /** Option 55. */
        public Builder parameterRequestList(int... codes) {
            byte[] list = new byte[codes.length];
            for (int i = 0; i < codes.length; i++) {
                list[i] = (byte) codes[i];
            }
            options.put(OptionCode.PARAMETER_REQUEST_LIST, list);
            return this;
        }

        /** Option 57. */
        public Builder maxMessageSize(int size) {
            options.uint16(OptionCode.MAX_MESSAGE_SIZE, size);
            return this;
        }

        /** Option 12. */
        public Builder hostname(String name) {
            options.string(OptionCode.HOST_NAME, name);
            return this;
        }

        public Builder option(int code, byte[] value) {
            options.put(code, value);
            return this;
        }

        /** Leaves option 53 out: a BOOTP request. */
        public Builder withoutMessageType() {
            options.remove(OptionCode.MESSAGE_TYPE);
            return this;
        }

        public DhcpMessage build() {
            return message.options(options.build()).build();
        }
    }
}
