package dev.dhcpcluster.core.config;

import java.util.Objects;

/**
 * One test a request must pass to belong to a {@link ClientClass}. Kept to what operators use
 * most, rather than an expression language: a prefix of the vendor class identifier, a prefix of
 * the hardware address, or the value of a relay agent sub-option.
 */
public sealed interface ClassCondition {

    /** The vendor class identifier (option 60) begins with {@code prefix}, as {@code "MSFT"} or {@code "PXEClient"}. */
    record VendorClassPrefix(Octets prefix) implements ClassCondition {
        public VendorClassPrefix {
            Objects.requireNonNull(prefix, "prefix");
        }
    }

    /**
     * The client's hardware address (the first {@code hlen} octets of chaddr) begins with
     * {@code prefix}, as an OUI {@code 00:1b:21}; {@code htype} must match as well.
     */
    record HardwareAddressPrefix(int hardwareType, Octets prefix) implements ClassCondition {
        public HardwareAddressPrefix {
            Objects.requireNonNull(prefix, "prefix");
            if (hardwareType < 1 || hardwareType > 255) {
                throw new IllegalArgumentException("a hardware type is 1-255, not " + hardwareType);
            }
            if (prefix.length() > 16) {
                throw new IllegalArgumentException("a hardware address has at most 16 octets, the prefix has "
                        + prefix.length());
            }
        }
    }

    /**
     * The relay agent information (option 82) carries sub-option {@code code} with exactly
     * {@code value}: 1 circuit-id, 2 remote-id (RFC 3046), or any other sub-option.
     */
    record RelayAgentSubOption(int code, Octets value) implements ClassCondition {
        public RelayAgentSubOption {
            Objects.requireNonNull(value, "value");
            if (code < 1 || code > 254) {
                throw new IllegalArgumentException("a relay agent sub-option code is 1-254, not " + code);
            }
        }
    }
}
