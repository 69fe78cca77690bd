package dev.dhcpcluster.bootstrap.config;

import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.load;
import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.onlyError;
import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.reservation;
import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.subnet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.config.Reservation;
import dev.dhcpcluster.core.config.ReservationKey;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The identifiers of {@code reservations} (hw-address, client-id, circuit-id, remote-id) and their options. */
class ReservationKeysConfigTest {

    @Test
    void aQuotedCircuitIdIsTheOctetsOfItsText() throws Exception {
        Reservation reservation = load(file -> { }).server().subnets().get(1).reservations().get(0);

        assertEquals(new Reservation(new ReservationKey.ByCircuitId(ascii("port-7")), Ipv4Address.parse("198.19.0.7"),
                Optional.empty(), DhcpOptions.builder().string(OptionCode.DOMAIN_NAME, "lab.example").build()),
                reservation);
    }

    @Test
    void aCircuitIdInHexTakesEveryFormKeaTakes() throws Exception {
        for (String written : List.of("01:02:0a", "1:2:a", "01 02 0a", "01020a", "0x01020a", "1020a")) {
            ReservationKey key = circuitKey(written);

            assertEquals(new ReservationKey.ByCircuitId(Octets.of(new byte[] {1, 2, 10})), key, written);
        }
    }

    @Test
    void spacesAroundAndJustInsideTheQuotesAreIgnoredAsInKea() throws Exception {
        assertEquals(new ReservationKey.ByCircuitId(ascii("port 7")), circuitKey("  ' port 7 ' "));
    }

    @Test
    void aRemoteIdIsReadLikeACircuitId() throws Exception {
        ReservationKey key = load(file -> remoteInstead(file).put("remote-id", "'line-12'"))
                .server().subnets().get(1).reservations().get(0).key();

        assertEquals(new ReservationKey.ByRemoteId(ascii("line-12")), key);
    }

    @Test
    void aClientIdMayBeQuotedTextAsInKea() throws Exception {
        ReservationKey key = load(file -> reservation(file, 0, 1).put("client-id", "'host-7'"))
                .server().subnets().get(0).reservations().get(1).key();

        assertEquals(new ReservationKey.ByClientId(ClientKey.ofClientId("host-7".getBytes(StandardCharsets.US_ASCII))), key);
    }

    @Test
    void reservationsWithoutOptionsHaveNone() throws Exception {
        List<Reservation> reservations = load(file -> { }).server().subnets().get(0).reservations();

        assertEquals(DhcpOptions.empty(), reservations.get(0).options());
    }

    // ---- errors ------------------------------------------------------------------------------

    @Test
    void aReservationWithoutAnyIdentifierIsRefused() {
        assertEquals("Dhcp4.subnet4[1].reservations[0]: needs exactly one of \"hw-address\", \"client-id\", "
                + "\"circuit-id\" and \"remote-id\" to name its client, found none",
                onlyError(file -> reservation(file, 1, 0).remove("circuit-id")).toString());
    }

    @Test
    void aReservationWithTwoIdentifiersIsRefusedNamingThem() {
        assertEquals("Dhcp4.subnet4[1].reservations[0]: needs exactly one of \"hw-address\", \"client-id\", "
                + "\"circuit-id\" and \"remote-id\" to name its client, found \"circuit-id\" and \"remote-id\"",
                onlyError(file -> reservation(file, 1, 0).put("remote-id", "01")).toString());
    }

    @Test
    void anEmptyIdentifierIsRefused() {
        assertEquals("Dhcp4.subnet4[1].reservations[0].circuit-id: is empty; give hex octets (01:02:0a) or text in "
                + "single quotes ('port-7')", onlyError(file -> reservation(file, 1, 0).put("circuit-id", "")).toString());
        assertEquals("Dhcp4.subnet4[1].reservations[0].circuit-id: \"''\" is empty between its quotes",
                onlyError(file -> reservation(file, 1, 0).put("circuit-id", "''")).toString());
    }

    @Test
    void anIdentifierThatIsNeitherHexNorQuotedIsRefused() {
        assertEquals("Dhcp4.subnet4[1].reservations[0].circuit-id: \"port-7\" is neither hex octets (01:02:0a, "
                + "01020a, 0x01020a) nor text in single quotes ('port-7'): \"port-7\" holds a character that is not "
                + "a hex digit", onlyError(file -> reservation(file, 1, 0).put("circuit-id", "port-7")).toString());
    }

    @Test
    void anOctetOfThreeDigitsOrTwoColonsInARowIsRefused() {
        assertEquals("Dhcp4.subnet4[1].reservations[0].circuit-id",
                onlyError(file -> reservation(file, 1, 0).put("circuit-id", "01:002")).path());
        assertTrue(onlyError(file -> reservation(file, 1, 0).put("circuit-id", "01::02")).message()
                .contains("octet \"\" is not one or two hex digits"));
    }

    @Test
    void quotedTextThatIsNotAsciiMustBeWrittenInHex() {
        assertEquals("Dhcp4.subnet4[1].reservations[0].remote-id: \"'café'\" holds a character that is not printable "
                + "ASCII (U+00E9); write the identifier in hex instead",
                onlyError(file -> remoteInstead(file).put("remote-id", "'café'")).toString());
    }

    @Test
    void theSameCircuitIdTwiceInASubnetIsRefusedAtTheSecond() {
        assertEquals("Dhcp4.subnet4[1].reservations[1].circuit-id: circuit-id 70:6f:72:74:2d:37 already has a "
                + "reservation in this subnet: Dhcp4.subnet4[1].reservations[0]",
                onlyError(file -> reservations(file, 1).addObject().put("circuit-id", "70:6f:72:74:2d:37")
                        .put("ip-address", "198.19.0.8")).toString());
    }

    @Test
    void theSameRemoteIdTwiceInASubnetIsRefusedAtTheSecond() {
        assertEquals("Dhcp4.subnet4[1].reservations[2].remote-id", onlyError(file -> {
            reservations(file, 1).addObject().put("remote-id", "'line-1'").put("ip-address", "198.19.0.8");
            reservations(file, 1).addObject().put("remote-id", "'line-1'").put("ip-address", "198.19.0.9");
        }).path());
    }

    @Test
    void theSameHardwareAddressTwiceIsRefusedAtTheSecond() {
        assertEquals("Dhcp4.subnet4[0].reservations[2].hw-address: hw-address 02:00:00:00:00:01 already has a "
                + "reservation in this subnet: Dhcp4.subnet4[0].reservations[0]",
                onlyError(file -> reservations(file, 0).addObject().put("hw-address", "02:00:00:00:00:01")
                        .put("ip-address", "198.18.0.12")).toString());
    }

    @Test
    void aCircuitIdAndARemoteIdWithTheSameOctetsAreDifferentClients() throws Exception {
        List<Reservation> reservations = load(file -> reservations(file, 1).addObject().put("remote-id", "'port-7'")
                .put("ip-address", "198.19.0.8")).server().subnets().get(1).reservations();

        assertEquals(2, reservations.size());
    }

    @Test
    void theSameCircuitIdInTwoSubnetsIsAllowed() throws Exception {
        List<Reservation> reservations = load(file -> reservations(file, 0).addObject().put("circuit-id", "'port-7'")
                .put("ip-address", "198.18.0.12")).server().subnets().get(0).reservations();

        assertEquals(new ReservationKey.ByCircuitId(ascii("port-7")), reservations.get(2).key());
    }

    @Test
    void badReservationOptionDataNamesItsPath() {
        assertEquals("Dhcp4.subnet4[1].reservations[0].option-data[0].name", onlyError(file ->
                ((ObjectNode) reservation(file, 1, 0).get("option-data").get(0)).put("name", "domain")).path());
    }

    @Test
    void everyMistakeInAReservationIsReported() {
        List<String> paths = NodeFileFixture.errors(file -> reservation(file, 1, 0).put("circuit-id", "'")
                .put("ip-address", "198.18.0.7").put("hostname", " ")).stream()
                .map(line -> line.substring(0, line.indexOf(':'))).toList();

        assertEquals(List.of("Dhcp4.subnet4[1].reservations[0].circuit-id", "Dhcp4.subnet4[1].reservations[0].ip-address",
                "Dhcp4.subnet4[1].reservations[0].hostname"), paths);
    }

    @Test
    void aHostNameThatIsNotADnsNameIsRefusedNamingItsPathWithTheNameEscaped() {
        for (String bad : List.of("my_printer", "two words", "-printer", "printer\nINFO fake: node stopped")) {
            ConfigError error = onlyError(file -> reservation(file, 1, 0).put("hostname", bad));

            assertEquals("Dhcp4.subnet4[1].reservations[0].hostname", error.path(), bad);
            assertFalse(error.toString().contains("\n"), "one line: " + error);
        }
    }

    @Test
    void aDnsHostNameIsAccepted() throws Exception {
        List<Reservation> reservations = load(file -> reservation(file, 1, 0).put("hostname", "printer-2.example.com."))
                .server().subnets().get(1).reservations();

        assertEquals(Optional.of("printer-2.example.com."), reservations.get(0).hostname());
    }

    /** The example's circuit-id reservation with its circuit-id removed, to be given a remote-id. */
    private static ObjectNode remoteInstead(ObjectNode file) {
        ObjectNode entry = reservation(file, 1, 0);
        entry.remove("circuit-id");
        return entry;
    }

    private static ReservationKey circuitKey(String written) throws ConfigException {
        return load(file -> reservation(file, 1, 0).put("circuit-id", written))
                .server().subnets().get(1).reservations().get(0).key();
    }

    private static ArrayNode reservations(ObjectNode file, int subnet) {
        return (ArrayNode) subnet(file, subnet).get("reservations");
    }

    private static Octets ascii(String text) {
        return Octets.of(text.getBytes(StandardCharsets.US_ASCII));
    }
}
