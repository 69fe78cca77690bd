package dev.dhcpcluster.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    @DisplayName("a plain host name is printed as it is")
    void plainTextIsKept() {
        assertEquals("laptop-7.example", SafeText.inline("laptop-7.example"));
        assertEquals("laptop-7.example", SafeText.field("laptop-7.example"));
    }

    @Test
    @DisplayName("a newline cannot start a forged log line")
    void newlineIsEscaped() {
        String forged = "x\n2030-01-01 INFO fake: node stopped";
        String printed = SafeText.inline(forged);
        assertFalse(printed.contains("\n"), printed);
        assertEquals("x\\n2030-01-01 INFO fake: node stopped", printed);
    }

    @Test
    @DisplayName("an escape sequence is shown, not obeyed by the terminal")
    void controlCharactersAreEscaped() {
        assertEquals("\\x1B[31mred\\x7F\\r\\t", SafeText.inline("\u001b[31mred\u007f\r\t"));
    }

    @Test
    @DisplayName("a field of a space-separated line never splits in two, nor vanishes when empty")
    void fieldEscapesSpaces() {
        assertEquals("a\\x20b", SafeText.field("a b"));
        assertEquals("a b", SafeText.inline("a b"));
        assertEquals("\"\"", SafeText.field(""));
    }

    @Test
    @DisplayName("backslashes are doubled, so an escape in the output always means an escaped character")
    void backslashIsDoubled() {
        assertEquals("a\\\\x41", SafeText.inline("a\\x41"));
    }

    @Test
    @DisplayName("non-ASCII characters, line separators and bidi overrides are written as code points")
    void nonAsciiIsEscaped() {
        assertEquals("caf\\xE9 \\u{2028} \\u{202E}", SafeText.inline("café \u2028 \u202e"));
        assertEquals("\\u{1F600}", SafeText.inline("\uD83D\uDE00"));
    }
}
