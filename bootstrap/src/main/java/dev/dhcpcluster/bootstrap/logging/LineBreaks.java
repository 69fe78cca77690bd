package dev.dhcpcluster.bootstrap.logging;

import dev.dhcpcluster.core.text.SafeText;

/**
 * Escapes what would end a log line early or take over a terminal: control characters (C0, DEL,
 * C1) and the Unicode line and paragraph separators. Everything else, the backslash included, is
 * kept: this is the last line of defence, for a message that reached the layout unescaped; text a
 * client chose has already been escaped with {@link SafeText} where
 * it was logged, and escaping the backslash again here would double that escaping.
 */
final class LineBreaks {

    private LineBreaks() {
    }

    /** {@code text} with its line breaks and other control characters escaped. */
    static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int first = firstToEscape(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            append(out, text.charAt(i));
        }
        return out.toString();
    }

    private static int firstToEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (mustEscape(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean mustEscape(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }

    private static void append(StringBuilder out, char c) {
        if (mustEscape(c)) {
            SafeText.appendEscape(out, c);
        } else {
            out.append(c);
        }
    }
}
