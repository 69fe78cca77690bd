package dev.dhcpcluster.core.text;

import java.util.HexFormat;
import java.util.Locale;

/**
 * Makes text that a client chose (a host name, a vendor class) safe to print where a reader or a
 * program expects one line, or one field of a line: a log line, a row of the {@code leases}
 * table. A client that puts a newline, an escape sequence or a space in its host name must not be
 * able to forge a log line, recolour a terminal or shift the columns of a table.
 *
 * <p>Printable ASCII other than the backslash is kept as it is. Everything else is written as an
 * escape that reads back unambiguously: a doubled backslash for the backslash, backslash-n,
 * backslash-r and backslash-t, backslash-x and two hex digits for any other character below U+0100
 * (controls, DEL, Latin-1), and above it backslash-u with the code point in hex between braces (so
 * a bidirectional override or a line separator is visible, not obeyed). Machine-readable output (JSON) carries the raw value instead and needs none of this.
 */
public final class SafeText {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private SafeText() {
    }

    /** {@code text} escaped for a log line or a message: spaces are kept. */
    public static String inline(String text) {
        return escape(text, false);
    }

    /**
     * {@code text} escaped for one field of a space-separated line: spaces are escaped too
     * ({@code \x20}), and an empty text is written {@code ""} so that it still takes a field.
     */
    public static String field(String text) {
        return text.isEmpty() ? "\"\"" : escape(text, true);
    }

    private static String escape(String text, boolean escapeSpace) {
        if (isPlain(text, escapeSpace)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> append(out, c, escapeSpace));
        return out.toString();
    }

    private static boolean isPlain(String text, boolean escapeSpace) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isKept(c, escapeSpace)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isKept(int c, boolean escapeSpace) {
        if (c == ' ') {
            return !escapeSpace;
        }
        return c > ' ' && c < 0x7f && c != '\\';
    }

    private static void append(StringBuilder out, int c, boolean escapeSpace) {
        if (isKept(c, escapeSpace)) {
            out.append((char) c);
        } else {
            appendEscape(out, c);
        }
    }

    /**
     * Appends the escape of the character {@code c} as this class writes it: for another escaper
     * of the same output (the log layout's), so that an escape reads the same wherever it was made.
     */
    public static void appendEscape(StringBuilder out, int c) {
        if (c == '\\') {
            out.append("\\\\");
        } else if (c == '\n') {
            out.append("\\n");
        } else if (c == '\r') {
            out.append("\\r");
        } else if (c == '\t') {
            out.append("\\t");
        } else if (c < 0x100) {
            out.append("\\x").append(HEX.toHexDigits((byte) c));
        } else {
            out.append("\\u{").append(Integer.toHexString(c).toUpperCase(Locale.ROOT)).append('}');
        }
    }
}
