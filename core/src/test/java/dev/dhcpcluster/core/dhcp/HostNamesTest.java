package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"laptop", "LAPTOP-7", "a", "1host", "42", "x-y.example.com", "host.example.com.",
        "xn--bcher-kva.example"})
    @DisplayName("RFC 1123 host names are valid: letters, digits, inner hyphens, dotted labels, a trailing dot")
    void validNames(String name) {
        assertTrue(HostNames.isValid(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a..b", ".a", "a.b..", "-a", "a-", "a.-b.c", "my_pc", "two words",
        "tab\there", "x\n2030-01-01 INFO fake: node stopped", "\u001b[31mred", "caf\u00e9", "back\\slash",
        "semi;colon", "a\u0000"})
    @DisplayName("empty labels, edge hyphens, underscores, spaces, controls and non-ASCII are refused")
    void invalidNames(String name) {
        assertFalse(HostNames.isValid(name), name);
    }

    @Test
    @DisplayName("a label is at most 63 characters and a name at most 253 (255 octets on the wire)")
    void lengthLimits() {
        String label63 = "a".repeat(63);
        assertTrue(HostNames.isValid(label63));
        assertFalse(HostNames.isValid("a".repeat(64)));
        // 4 labels of 63 with 3 dots = 255 characters: too long; 253 is the limit.
        String name253 = label63 + "." + label63 + "." + label63 + "." + "a".repeat(61);
        assertEquals(253, name253.length());
        assertTrue(HostNames.isValid(name253));
        assertTrue(HostNames.isValid(name253 + "."), "the trailing dot does not count");
        assertFalse(HostNames.isValid(name253 + "a"));
    }

    @Test
    @DisplayName("the trailing dot of an absolute name is dropped, the case is kept")
    void normalizedDropsTheTrailingDot() {
        assertEquals(Optional.of("Host.Example.com"), HostNames.normalized("Host.Example.com."));
        assertEquals(Optional.empty(), HostNames.normalized("bad_name."));
    }
}
