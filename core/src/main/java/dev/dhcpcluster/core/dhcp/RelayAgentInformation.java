package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Arrays;
import java.util.Optional;

/**
 * The sub-options of a relay agent information option (82, RFC 3046) as the server reads them:
 * the circuit-id (1) and remote-id (2) that identify where a client is attached, and the link
 * selection sub-option (5, RFC 3527) that names the client's subnet.
 *
 * <p>The option is read only from relayed requests (giaddr set): a client talking to the server
 * directly could write any option 82 it likes, and must not pick its own reservation or class
 * that way. An option whose sub-options do not parse (a length running past the end) counts as
 * no sub-options at all: hostile input never throws here. The option itself is still echoed
 * unchanged by {@link ReplyBuilder}; this class only reads it.
 */
final class RelayAgentInformation {

    /** Sub-option 1, the agent's identifier of the circuit the request came in on. */
    static final int CIRCUIT_ID = 1;
    /** Sub-option 2, the agent's identifier of the remote end of the circuit. */
    static final int REMOTE_ID = 2;
    /** Sub-option 5 (RFC 3527), the address of the subnet the client is on. */
    static final int LINK_SELECTION = 5;

    private static final RelayAgentInformation NONE = new RelayAgentInformation(new int[0], new byte[0][]);

    private final int[] codes;
    private final byte[][] values;

    private RelayAgentInformation(int[] codes, byte[][] values) {
        this.codes = codes;
        this.values = values;
    }

    /** No sub-options. */
    static RelayAgentInformation none() {
        return NONE;
    }

    /** The sub-options of the request's option 82 if the request was relayed; none otherwise. */
    static RelayAgentInformation of(DhcpMessage request) {
        if (request.giaddr().isZero()) {
            return NONE;
        }
        return request.options().get(OptionCode.RELAY_AGENT_INFORMATION)
                .map(RelayAgentInformation::parse)
                .orElse(NONE);
    }

    /**
     * The sub-options encoded in an option 82 value: code, length, value, repeated to the end.
     * A sub-option code seen twice keeps its first value. Malformed encoding gives no sub-options.
     */
    static RelayAgentInformation parse(byte[] option) {
        int count = 0;
        for (int i = 0; i < option.length; i += 2 + (option[i + 1] & 0xFF)) {
            if (i + 2 > option.length || i + 2 + (option[i + 1] & 0xFF) > option.length) {
                return NONE;
            }
            count++;
        }
        int[] codes = new int[count];
        byte[][] values = new byte[count][];
        int n = 0;
        for (int i = 0; i < option.length; i += 2 + (option[i + 1] & 0xFF)) {
            int code = option[i] & 0xFF;
            if (indexOf(codes, n, code) < 0) {
                codes[n] = code;
                values[n] = Arrays.copyOfRange(option, i + 2, i + 2 + (option[i + 1] & 0xFF));
                n++;
            }
        }
        return n == 0 ? NONE : new RelayAgentInformation(Arrays.copyOf(codes, n), Arrays.copyOf(values, n));
    }

    /** A copy of the value of sub-option {@code code}, if present. */
    Optional<byte[]> subOption(int code) {
        int index = indexOf(codes, codes.length, code);
        return index < 0 ? Optional.empty() : Optional.of(values[index].clone());
    }

    /** True if sub-option {@code code} is present with exactly {@code value}. */
    boolean hasSubOption(int code, byte[] value) {
        int index = indexOf(codes, codes.length, code);
        return index >= 0 && Arrays.equals(values[index], value);
    }

    /** The link selection address (sub-option 5), if present and four octets long. */
    Optional<Ipv4Address> linkSelection() {
        int index = indexOf(codes, codes.length, LINK_SELECTION);
        if (index < 0 || values[index].length != 4) {
            return Optional.empty();
        }
        return Optional.of(Ipv4Address.fromBytes(values[index], 0));
    }

    private static int indexOf(int[] codes, int length, int code) {
        for (int i = 0; i < length; i++) {
            if (codes[i] == code) {
                return i;
            }
        }
        return -1;
    }
}
