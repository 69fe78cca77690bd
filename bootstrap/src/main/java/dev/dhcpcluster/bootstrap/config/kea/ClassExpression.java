package dev.dhcpcluster.bootstrap.config.kea;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the Kea class expressions ({@code test}) that say what a node file's class conditions say
 * into those conditions: a prefix of the vendor class (option 60), a prefix of the hardware
 * address, and relay agent sub-options, joined with {@code and}. Any other expression is not
 * converted.
 */
final class ClassExpression {

    /** A Kea string literal 'text' or a hex literal 0x0a0b. */
    private static final String LITERAL = "('(?<text>[^']*)'|0[xX](?<hex>[0-9a-fA-F]+))";
    private static final String VENDOR_CLASS = "option\\[\\s*(60|vendor-class-identifier)\\s*\\]";
    private static final Pattern VENDOR_PREFIX = Pattern.compile(
            "substring\\(\\s*" + VENDOR_CLASS + "\\.(hex|text)\\s*,\\s*0\\s*,\\s*(?<length>\\d+)\\s*\\)\\s*==\\s*" + LITERAL);
    private static final Pattern VENDOR_EQUALS = Pattern.compile(VENDOR_CLASS + "\\.(hex|text)\\s*==\\s*" + LITERAL);
    private static final Pattern MAC_PREFIX = Pattern.compile(
            "substring\\(\\s*pkt4\\.mac\\s*,\\s*0\\s*,\\s*(?<length>\\d+)\\s*\\)\\s*==\\s*" + LITERAL);
    private static final Pattern MAC_EQUALS = Pattern.compile("pkt4\\.mac\\s*==\\s*" + LITERAL);
    private static final Pattern RELAY_EQUALS = Pattern.compile(
            "relay4\\[\\s*(?<code>\\d+)\\s*\\]\\.hex\\s*==\\s*" + LITERAL);
    private static final Pattern AND = Pattern.compile("\\s+and\\s+");

    /** The conditions an expression became, and how their meaning differs from Kea's, if it does. */
    record Conditions(ObjectNode fields, List<String> changes) {
    }

    private ClassExpression() {
    }

    /** The conditions {@code expression} means, or empty if it means something they cannot say. */
    static Optional<Conditions> convert(String expression) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        List<String> changes = new ArrayList<>();
        String stripped = stripParentheses(expression.strip());
        if (stripped.isEmpty()) {
            return Optional.empty();
        }
        for (String term : AND.split(stripped)) {
            if (!addTerm(stripParentheses(term.strip()), fields, changes)) {
                return Optional.empty();
            }
        }
        return Optional.of(new Conditions(fields, List.copyOf(changes)));
    }

    private static boolean addTerm(String term, ObjectNode fields, List<String> changes) {
        Matcher m = VENDOR_PREFIX.matcher(term);
        if (m.matches()) {
            byte[] value = value(m);
            if (value.length != Integer.parseInt(m.group("length"))) {
                return false; // Kea compares a substring with a literal of another length: never true.
            }
            return putOnce(fields, "vendor-class-prefix", vendorText(m, value));
        }
        m = VENDOR_EQUALS.matcher(term);
        if (m.matches()) {
            changes.add("the vendor class must equal " + literal(m) + " in Kea; here it must begin with it");
            return putOnce(fields, "vendor-class-prefix", vendorText(m, value(m)));
        }
        m = MAC_PREFIX.matcher(term);
        if (m.matches()) {
            byte[] value = value(m);
            if (value.length != Integer.parseInt(m.group("length")) || value.length == 0 || value.length > 16) {
                return false;
            }
            changes.add("pkt4.mac is any hardware address in Kea; here the prefix applies to Ethernet (type 1) addresses");
            return putOnce(fields, "hw-address-prefix", HexFormat.ofDelimiter(":").formatHex(value));
        }
        m = MAC_EQUALS.matcher(term);
        if (m.matches()) {
            byte[] value = value(m);
            if (value.length == 0 || value.length > 16) {
                return false;
            }
            changes.add("pkt4.mac must equal the value in Kea; here the hardware address must begin with it, "
                    + "which is the same for Ethernet addresses of that length");
            return putOnce(fields, "hw-address-prefix", HexFormat.ofDelimiter(":").formatHex(value));
        }
        m = RELAY_EQUALS.matcher(term);
        if (m.matches()) {
            int code = Integer.parseInt(m.group("code"));
            if (code < 1 || code > 254) {
                return false;
            }
            String data = identifier(m);
            if (code == 1) {
                return putOnce(fields, "circuit-id", data);
            }
            if (code == 2) {
                return putOnce(fields, "remote-id", data);
            }
            ObjectNode subOption = fields.withArray("relay-agent-sub-options").addObject();
            subOption.put("code", code);
            subOption.put("data", data);
            return true;
        }
        return false;
    }

    private static boolean putOnce(ObjectNode fields, String field, String value) {
        if (fields.has(field)) {
            return false; // Two different conditions on one field; a class cannot say that.
        }
        fields.put(field, value);
        return true;
    }

    private static byte[] value(Matcher m) {
        return m.group("text") != null ? m.group("text").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)
                : HexFormat.of().parseHex(m.group("hex").length() % 2 == 0 ? m.group("hex") : "0" + m.group("hex"));
    }

    private static String literal(Matcher m) {
        return m.group("text") != null ? "'" + m.group("text") + "'" : "0x" + m.group("hex");
    }

    /** A vendor-class-prefix: the text itself when it is printable ASCII, else 0x and hex. */
    private static String vendorText(Matcher m, byte[] value) {
        // Text that begins with 0x would be read back as hex; write that as hex too.
        if (m.group("text") != null && printable(m.group("text")) && !m.group("text").toLowerCase().startsWith("0x")) {
            return m.group("text");
        }
        return "0x" + HexFormat.of().formatHex(value);
    }

    /** An identifier as the node file writes it: 'text' when printable, else hex octets. */
    private static String identifier(Matcher m) {
        if (m.group("text") != null && printable(m.group("text")) && !m.group("text").isBlank()) {
            return "'" + m.group("text") + "'";
        }
        return HexFormat.ofDelimiter(":").formatHex(value(m));
    }

    private static boolean printable(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    /** Removes parentheses that enclose the whole text. */
    private static String stripParentheses(String text) {
        String result = text;
        while (result.startsWith("(") && result.endsWith(")") && balanced(result.substring(1, result.length() - 1))) {
            result = result.substring(1, result.length() - 1).strip();
        }
        return result;
    }

    private static boolean balanced(String text) {
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '(') {
                depth++;
            } else if (text.charAt(i) == ')' && --depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }
}
