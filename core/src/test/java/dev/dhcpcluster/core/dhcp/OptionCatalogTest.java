package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Option names and data as an operator writes them (Kea style), and the text the client tool prints. */
class OptionCatalogTest {

    private static byte[] parse(String name, String data) {
        return OptionCatalog.byName(name).orElseThrow().parse(data, true);
    }

    private static String parseError(String name, String data, boolean csv) {
        return assertThrows(IllegalArgumentException.class, () -> OptionCatalog.byName(name).orElseThrow().parse(data, csv))
                .getMessage();
    }

    private static byte[] octets(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    @Test
    void looksUpByNameAndByCode() {
        OptionDefinition dns = OptionCatalog.byName("domain-name-servers").orElseThrow();
        assertEquals(6, dns.code());
        assertEquals(OptionType.IPV4_ADDRESS, dns.type());
        assertTrue(dns.array());
        assertEquals(dns, OptionCatalog.byCode(6).orElseThrow());
        assertEquals("domain-search", OptionCatalog.byCode(119).orElseThrow().name());
        assertTrue(OptionCatalog.byName("no-such-option").isEmpty());
        assertTrue(OptionCatalog.byCode(224).isEmpty());
        assertTrue(OptionCatalog.byCode(-1).isEmpty());
        assertTrue(OptionCatalog.byCode(300).isEmpty());
    }

    @Test
    void namesAndCodesAreUnique() {
        Set<String> names = new HashSet<>();
        Set<Integer> codes = new HashSet<>();
        for (OptionDefinition definition : OptionCatalog.all()) {
            assertTrue(names.add(definition.name()), definition.name());
            assertTrue(codes.add(definition.code()), definition.name());
            assertEquals(definition, OptionCatalog.byName(definition.name()).orElseThrow());
        }
    }

    @Test
    void addressListIsParsedFromCommaSeparatedText() {
        assertArrayEquals(octets(198, 18, 0, 1, 198, 18, 0, 2), parse("routers", "198.18.0.1, 198.18.0.2"));
        assertArrayEquals(octets(255, 255, 255, 0), parse("subnet-mask", "255.255.255.0"));
    }

    @Test
    void numbersAreWrittenInNetworkOrder() {
        assertArrayEquals(octets(0x05, 0xDC), parse("interface-mtu", "1500"));
        assertArrayEquals(octets(0xFF, 0xFF, 0xF1, 0xF0), parse("time-offset", "-3600"));
        assertArrayEquals(octets(0, 0, 0x0E, 0x10), parse("dhcp-lease-time", "3600"));
        assertArrayEquals(octets(64), parse("default-ip-ttl", "64"));
        assertArrayEquals(octets(0x01, 0x00), parse("interface-mtu", "0x100"));
        assertArrayEquals(octets(1), parse("ip-forwarding", "true"));
        assertArrayEquals(octets(0), parse("ip-forwarding", "0"));
    }

    @Test
    void stringIsWrittenAsItsOctets() {
        assertArrayEquals("example.org".getBytes(StandardCharsets.US_ASCII), parse("domain-name", "example.org"));
        assertArrayEquals("a, b".getBytes(StandardCharsets.US_ASCII), parse("dhcp-message", "a, b"));
    }

    @Test
    void domainSearchUsesRfc1035Labels() {
        byte[] expected = octets(7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0, 3, 'l', 'a', 'b', 0);
        assertArrayEquals(expected, parse("domain-search", "example.org, lab."));
        assertEquals("example.org, lab", OptionCatalog.format(119, expected));
    }

    @Test
    void domainSearchWithCompressionPointersIsFormatted() {
        // RFC 3397 §2 example shape: "eng.example.org", then "example.org" via a pointer to offset 4
        byte[] value = octets(3, 'e', 'n', 'g', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0,
                3, 'l', 'a', 'b', 0xC0, 4);
        assertEquals("eng.example.org, lab.example.org", OptionCatalog.format(119, value));
    }

    @Test
    void classlessStaticRoutesUseRfc3442Encoding() {
        byte[] value = parse("classless-static-route", "198.18.128.0/17 - 198.18.0.1, 0.0.0.0/0 - 198.18.0.254");
        assertArrayEquals(octets(17, 198, 18, 128, 198, 18, 0, 1, 0, 198, 18, 0, 254), value);
        assertEquals("198.18.128.0/17 - 198.18.0.1, 0.0.0.0/0 - 198.18.0.254", OptionCatalog.format(121, value));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0a:0b:0c", "0a0b0c", "0a 0b 0c", "0x0a0b0c", "a:b:c", "0A:0B:0C"})
    void hexDataIsAcceptedInEveryKeaSpelling(String hex) {
        assertArrayEquals(octets(10, 11, 12), OptionCatalog.parseHex(hex));
        assertArrayEquals(octets(10, 11, 12), parse("vendor-encapsulated-options", hex));
    }

    @Test
    void csvFormatFalseMeansHexForAnyType() {
        OptionDefinition routers = OptionCatalog.byName("routers").orElseThrow();
        assertArrayEquals(octets(198, 18, 0, 1), routers.parse("c6:12:00:01", false));
        String error = parseError("routers", "c6:12:00", false);
        assertTrue(error.contains("routers (3)") && error.contains("3 octets"), error);
    }

    @Test
    void optionUnknownToTheCatalogTakesHexByCode() {
        assertArrayEquals(octets(1, 2), OptionCatalog.parse(224, "01:02", true));
        String error = assertThrows(IllegalArgumentException.class, () -> OptionCatalog.parse(224, "hello", true)).getMessage();
        assertTrue(error.contains("option 224") && error.contains("hex"), error);
        assertThrows(IllegalArgumentException.class, () -> OptionCatalog.parse(255, "01", false));
        assertArrayEquals(octets(198, 18, 0, 1), OptionCatalog.parse(3, "198.18.0.1", true));
    }

    @Test
    void badDataIsRefusedNamingTheOptionAndTheProblem() {
        String error = parseError("routers", "198.18.0.1, 198.18.0.300", true);
        assertTrue(error.startsWith("option routers (3): "), error);
        assertTrue(error.contains("198.18.0.300"), error);
        assertTrue(parseError("interface-mtu", "70000", true).contains("0 to 65535"));
        assertTrue(parseError("interface-mtu", "big", true).contains("\"big\" is not a number"));
        assertTrue(parseError("routers", "198.18.0.1,,198.18.0.2", true).contains("empty value"));
        assertTrue(parseError("subnet-mask", "255.255.255.0, 255.0.0.0", true).contains("not an IPv4 address"));
        assertTrue(parseError("ip-forwarding", "yes", true).contains("not a boolean"));
        assertTrue(parseError("host-name", "", true).contains("at least one character"));
        assertTrue(parseError("domain-search", "bad name.org", true).contains("not a domain name"));
        assertTrue(parseError("domain-search", "a..org", true).contains("not a domain name"));
        assertTrue(parseError("classless-static-route", "198.18.0.0/8 - 198.18.0.1", true).contains("bits set beyond /8"));
        assertTrue(parseError("vendor-encapsulated-options", "0a0", true).contains("odd number"));
        assertTrue(parseError("vendor-encapsulated-options", "zz", true).contains("not hex"));
        assertTrue(parseError("routers", null, true).contains("missing"));
    }

    @Test
    void formatTurnsWireValuesIntoTheTextParseReads() {
        for (String[] entry : new String[][] {
            {"routers", "198.18.0.1, 198.18.0.2"},
            {"subnet-mask", "255.255.255.0"},
            {"interface-mtu", "1500"},
            {"time-offset", "-3600"},
            {"dhcp-lease-time", "4294967295"},
            {"ip-forwarding", "false"},
            {"domain-name", "example.org"},
            {"dhcp-parameter-request-list", "1, 3, 6, 15"},
            {"vendor-encapsulated-options", "01:02:ff"},
        }) {
            OptionDefinition definition = OptionCatalog.byName(entry[0]).orElseThrow();
            assertEquals(entry[1], OptionCatalog.format(definition.code(), definition.parse(entry[1], true)), entry[0]);
        }
    }

    @Test
    void valuesThatDoNotFitTheirTypeAreFormattedAsHex() {
        assertEquals("c6:12:00", OptionCatalog.format(3, octets(198, 18, 0)));
        assertEquals("01:02", OptionCatalog.format(224, octets(1, 2)));
        assertEquals("07", OptionCatalog.format(19, octets(7)));
        assertEquals("68:69:00", OptionCatalog.format(12, octets('h', 'i', 0)));
        assertEquals("05:61", OptionCatalog.format(119, octets(5, 'a')));
        assertEquals("", OptionCatalog.format(224, new byte[0]));
        assertEquals("c0:00", OptionCatalog.format(119, octets(0xC0, 0)), "a pointer loop is not followed forever");
        assertFalse(OptionCatalog.format(121, octets(33, 1, 2, 3, 4, 5, 6, 7, 8)).contains("/"));
    }
}
