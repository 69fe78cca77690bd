package dev.dhcpcluster.port.model;

import java.util.Optional;

/** The DHCP message types of option 53 (RFC 2132 §9.6) that a DHCPv4 server meets. */
public enum DhcpMessageType {
    DISCOVER(1),
    OFFER(2),
    REQUEST(3),
    DECLINE(4),
    ACK(5),
    NAK(6),
    RELEASE(7),
    INFORM(8);

    private static final DhcpMessageType[] BY_CODE = new DhcpMessageType[9];

    static {
        for (DhcpMessageType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    DhcpMessageType(int code) {
        this.code = code;
    }

    /** The value carried in option 53. */
    public int code() {
        return code;
    }

    /** The type for an option-53 value, or empty for a code this server does not know. */
    public static Optional<DhcpMessageType> fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }
}
