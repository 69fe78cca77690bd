package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.OptionType.BINARY;
import static dev.dhcpcluster.core.dhcp.OptionType.BOOLEAN;
import static dev.dhcpcluster.core.dhcp.OptionType.CLASSLESS_ROUTE;
import static dev.dhcpcluster.core.dhcp.OptionType.FQDN;
import static dev.dhcpcluster.core.dhcp.OptionType.INT32;
import static dev.dhcpcluster.core.dhcp.OptionType.IPV4_ADDRESS;
import static dev.dhcpcluster.core.dhcp.OptionType.STRING;
import static dev.dhcpcluster.core.dhcp.OptionType.UINT16;
import static dev.dhcpcluster.core.dhcp.OptionType.UINT32;
import static dev.dhcpcluster.core.dhcp.OptionType.UINT8;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The standard DHCPv4 options an operator configures by name, with the names and data types Kea
 * uses (RFC 2132 and successors), so that a Kea {@code option-data} entry reads the same here.
 *
 * <p>An option that is not in the catalog is configured by code with hex data ({@link #parse(int,
 * String, boolean)}). Two deliberate differences from Kea: {@code domain-name} (15) is plain text
 * as RFC 2132 §3.17 puts it on the wire, and {@code classless-static-route} (121) uses the text
 * form of Kea 2.6 ({@code 198.18.1.0/24 - 198.18.0.1, 0.0.0.0/0 - 198.18.0.1}).
 */
public final class OptionCatalog {

    private static final List<OptionDefinition> DEFINITIONS = List.of(
            single(1, "subnet-mask", IPV4_ADDRESS),
            single(2, "time-offset", INT32),
            list(3, "routers", IPV4_ADDRESS),
            list(4, "time-servers", IPV4_ADDRESS),
            list(5, "name-servers", IPV4_ADDRESS),
            list(6, "domain-name-servers", IPV4_ADDRESS),
            list(7, "log-servers", IPV4_ADDRESS),
            list(8, "cookie-servers", IPV4_ADDRESS),
            list(9, "lpr-servers", IPV4_ADDRESS),
            list(10, "impress-servers", IPV4_ADDRESS),
            list(11, "resource-location-servers", IPV4_ADDRESS),
            single(12, "host-name", STRING),
            single(13, "boot-size", UINT16),
            single(14, "merit-dump", STRING),
            single(15, "domain-name", STRING),
            single(16, "swap-server", IPV4_ADDRESS),
            single(17, "root-path", STRING),
            single(18, "extensions-path", STRING),
            single(19, "ip-forwarding", BOOLEAN),
            single(20, "non-local-source-routing", BOOLEAN),
            list(21, "policy-filter", IPV4_ADDRESS),
            single(22, "max-dgram-reassembly", UINT16),
            single(23, "default-ip-ttl", UINT8),
            single(24, "path-mtu-aging-timeout", UINT32),
            list(25, "path-mtu-plateau-table", UINT16),
            single(26, "interface-mtu", UINT16),
            single(27, "all-subnets-local", BOOLEAN),
            single(28, "broadcast-address", IPV4_ADDRESS),
            single(29, "perform-mask-discovery", BOOLEAN),
            single(30, "mask-supplier", BOOLEAN),
            single(31, "router-discovery", BOOLEAN),
            single(32, "router-solicitation-address", IPV4_ADDRESS),
            list(33, "static-routes", IPV4_ADDRESS),
            single(34, "trailer-encapsulation", BOOLEAN),
            single(35, "arp-cache-timeout", UINT32),
            single(36, "ieee802-3-encapsulation", BOOLEAN),
            single(37, "default-tcp-ttl", UINT8),
            single(38, "tcp-keepalive-interval", UINT32),
            single(39, "tcp-keepalive-garbage", BOOLEAN),
            single(40, "nis-domain", STRING),
            list(41, "nis-servers", IPV4_ADDRESS),
            list(42, "ntp-servers", IPV4_ADDRESS),
            single(43, "vendor-encapsulated-options", BINARY),
            list(44, "netbios-name-servers", IPV4_ADDRESS),
            list(45, "netbios-dd-server", IPV4_ADDRESS),
            single(46, "netbios-node-type", UINT8),
            single(47, "netbios-scope", STRING),
            list(48, "font-servers", IPV4_ADDRESS),
            list(49, "x-display-manager", IPV4_ADDRESS),
            single(50, "dhcp-requested-address", IPV4_ADDRESS),
            single(51, "dhcp-lease-time", UINT32),
            single(52, "dhcp-option-overload", UINT8),
            single(53, "dhcp-message-type", UINT8),
            single(54, "dhcp-server-identifier", IPV4_ADDRESS),
            list(55, "dhcp-parameter-request-list", UINT8),
            single(56, "dhcp-message", STRING),
            single(57, "dhcp-max-message-size", UINT16),
            single(58, "dhcp-renewal-time", UINT32),
            single(59, "dhcp-rebinding-time", UINT32),
            single(60, "vendor-class-identifier", STRING),
            single(61, "dhcp-client-identifier", BINARY),
            single(62, "nwip-domain-name", STRING),
            single(64, "nisplus-domain-name", STRING),
            list(65, "nisplus-servers", IPV4_ADDRESS),
            single(66, "tftp-server-name", STRING),
            single(67, "boot-file-name", STRING),
            list(68, "mobile-ip-home-agent", IPV4_ADDRESS),
            list(69, "smtp-server", IPV4_ADDRESS),
            list(70, "pop-server", IPV4_ADDRESS),
            list(71, "nntp-server", IPV4_ADDRESS),
            list(72, "www-server", IPV4_ADDRESS),
            list(73, "finger-server", IPV4_ADDRESS),
            list(74, "irc-server", IPV4_ADDRESS),
            list(75, "streettalk-server", IPV4_ADDRESS),
            list(76, "streettalk-directory-assistance-server", IPV4_ADDRESS),
            single(77, "user-class", BINARY),
            single(82, "dhcp-agent-options", BINARY),
            list(85, "nds-servers", IPV4_ADDRESS),
            single(86, "nds-tree-name", STRING),
            single(87, "nds-context", STRING),
            single(91, "client-last-transaction-time", UINT32),
            list(92, "associated-ip", IPV4_ADDRESS),
            single(100, "pcode", STRING),
            single(101, "tcode", STRING),
            single(108, "v6-only-preferred", UINT32),
            single(114, "v4-captive-portal", STRING),
            single(116, "auto-config", UINT8),
            list(117, "name-service-search", UINT16),
            single(118, "subnet-selection", IPV4_ADDRESS),
            list(119, "domain-search", FQDN),
            list(121, "classless-static-route", CLASSLESS_ROUTE),
            list(136, "pana-agent", IPV4_ADDRESS),
            single(137, "v4-lost", FQDN),
            list(138, "capwap-ac-v4", IPV4_ADDRESS),
            list(141, "sip-ua-cs-domains", FQDN),
            single(213, "v4-access-domain", FQDN));

    private static final Map<String, OptionDefinition> BY_NAME = new HashMap<>();
    private static final OptionDefinition[] BY_CODE = new OptionDefinition[256];

    static {
        for (OptionDefinition definition : DEFINITIONS) {
            if (BY_NAME.put(definition.name(), definition) != null || BY_CODE[definition.code()] != null) {
                throw new ExceptionInInitializerError("duplicate option definition " + definition);
            }
            BY_CODE[definition.code()] = definition;
        }
    }

    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":");

    private OptionCatalog() {
    }

    /** Every definition, in code order. */
    public static List<OptionDefinition> all() {
        return DEFINITIONS;
    }

    /** The definition with this Kea name ({@code "domain-name-servers"}), names being lower case. */
    public static Optional<OptionDefinition> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The definition of this code, if the catalog knows it. */
    public static Optional<OptionDefinition> byCode(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.ofNullable(BY_CODE[code]) : Optional.empty();
    }

    /** Same as {@link OptionDefinition#parse(String, boolean)}. */
    public static byte[] parse(OptionDefinition definition, String data, boolean csvFormat) {
        return definition.parse(data, csvFormat);
    }

    /**
     * Parses data for an option given by code: with its definition if the catalog knows it,
     * otherwise as hex, since an unknown option has no type to write text in.
     *
     * @throws IllegalArgumentException for a code outside 1-254 or bad data, naming the option
     */
    public static byte[] parse(int code, String data, boolean csvFormat) {
        Optional<OptionDefinition> definition = byCode(code);
        if (definition.isPresent()) {
            return definition.get().parse(data, csvFormat);
        }
        if (code <= OptionCode.PAD || code >= OptionCode.END) {
            throw new IllegalArgumentException("option code must be 1-254, not " + code);
        }
        try {
            return parseHex(data == null ? "" : data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option " + code + " has no standard definition, so its data must be hex: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The option's value as readable text: in its type if the catalog knows the code and the
     * octets fit that type, otherwise colon-separated hex ({@code 0a:0b:0c}).
     */
    public static String format(int code, byte[] value) {
        Optional<OptionDefinition> definition = byCode(code);
        return definition.isPresent() ? definition.get().format(value) : formatHex(value, 0, value.length);
    }

    /**
     * Parses hex data as Kea accepts it: {@code 0a0b0c}, {@code 0a:0b:0c} or {@code 0a 0b 0c},
     * optionally prefixed with {@code 0x}; separated octets may have one digit. Empty text is an
     * empty value.
     *
     * @throws IllegalArgumentException quoting the text if it is not hex
     */
    public static byte[] parseHex(String text) {
        String hex = text.trim();
        if (hex.startsWith("0x") || hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        if (hex.isEmpty()) {
            return new byte[0];
        }
        try {
            if (hex.indexOf(':') >= 0 || hex.indexOf(' ') >= 0) {
                String[] octets = hex.split("[: ]", -1);
                byte[] value = new byte[octets.length];
                for (int i = 0; i < octets.length; i++) {
                    if (octets[i].isEmpty() || octets[i].length() > 2) {
                        throw new IllegalArgumentException("octet \"" + octets[i] + "\" is not one or two hex digits");
                    }
                    value[i] = (byte) HexFormat.fromHexDigits(octets[i]);
                }
                return value;
            }
            if (hex.length() % 2 != 0) {
                throw new IllegalArgumentException("odd number of hex digits");
            }
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not hex data (" + e.getMessage() + ")", e);
        }
    }

    /** Colon-separated lower-case hex of a range of octets. */
    static String formatHex(byte[] value, int offset, int length) {
        return COLON_HEX.formatHex(value, offset, offset + length);
    }

    private static OptionDefinition single(int code, String name, OptionType type) {
        return new OptionDefinition(code, name, type, false);
    }

    private static OptionDefinition list(int code, String name, OptionType type) {
        return new OptionDefinition(code, name, type, true);
    }
}
