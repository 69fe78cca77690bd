package dev.dhcpcluster.bootstrap.config;

import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.classes;
import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.clientClass;
import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.errors;
import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.load;
import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.onlyError;
import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.core.config.ClassCondition;
import dev.dhcpcluster.core.config.ClientClass;
import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.config.PoolConfig;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code Dhcp4.client-classes} and the pools restricted to a class. */
class ClientClassConfigTest {

    private static final String CONDITIONS = "\"vendor-class-prefix\", \"hw-address-prefix\", \"circuit-id\", "
            + "\"remote-id\" or \"relay-agent-sub-options\"";

    // ---- classes that resolve ----------------------------------------------------------------

    @Test
    void eachConditionFieldBecomesOneConditionInTheOrderOfTheFields() throws Exception {
        List<ClientClass> classes = load(file -> { }).server().clientClasses();

        assertEquals(new ClientClass("voip-phones", List.of(
                new ClassCondition.VendorClassPrefix(ascii("VoIP-")),
                new ClassCondition.HardwareAddressPrefix(1, Octets.of(new byte[] {0x00, 0x1b, 0x21}))),
                DhcpOptions.builder().string(66, "198.19.0.5").build()), classes.get(0));
        assertEquals(new ClientClass("lobby-switch", List.of(
                new ClassCondition.RelayAgentSubOption(2, ascii("switch-lobby")),
                new ClassCondition.RelayAgentSubOption(9, Octets.of(new byte[] {0, 0, 0x0d, (byte) 0xe9, 1, 1}))),
                DhcpOptions.builder().string(OptionCode.DOMAIN_NAME, "lobby.example").build()), classes.get(1));
    }

    @Test
    void aVendorClassPrefixWrittenWith0xIsHexOctets() throws Exception {
        ClientClass voip = load(file -> clientClass(file, 0).put("vendor-class-prefix", "0x4d534654"))
                .server().clientClasses().get(0);

        assertEquals(new ClassCondition.VendorClassPrefix(ascii("MSFT")), voip.conditions().get(0));
    }

    @Test
    void aCircuitIdConditionIsSubOptionOneInTheReservationsSyntax() throws Exception {
        ClientClass lobby = load(file -> clientClass(file, 1).put("circuit-id", "01:02:0a"))
                .server().clientClasses().get(1);

        assertEquals(new ClassCondition.RelayAgentSubOption(1, Octets.of(new byte[] {1, 2, 10})), lobby.conditions().get(0));
    }

    @Test
    void withoutClassesTheServerHasNone() throws Exception {
        ServerConfig server = load(file -> {
            NodeFileFixture.dhcp4(file).remove("client-classes");
            pool(file, 1, 1).remove("client-class");
        }).server();

        assertEquals(List.of(), server.clientClasses());
    }

    @Test
    void aPoolRestrictedToAClassCarriesItsNameAndItsOwnOptions() throws Exception {
        List<PoolConfig> pools = load(file -> { }).server().subnets().get(1).pools();

        assertEquals(PoolConfig.of(range("198.19.0.10", "198.19.0.99")), pools.get(0));
        assertEquals(new PoolConfig(range("198.19.0.100", "198.19.0.149"), Optional.of("voip-phones"),
                DhcpOptions.builder().address(OptionCode.NTP_SERVERS, Ipv4Address.parse("198.19.0.6")).build()),
                pools.get(1));
    }

    // ---- Kea's expressions are refused -------------------------------------------------------

    @Test
    void aTestExpressionIsRefusedNamingTheFieldsToUseInstead() {
        ConfigError error = onlyError(file -> clientClass(file, 0)
                .put("test", "substring(option[60].hex,0,4) == 'MSFT'"));

        assertEquals("Dhcp4.client-classes[0].test", error.path());
        assertEquals("expressions are not supported; describe the class with " + CONDITIONS
                + " instead (a request must meet every one given)", error.message());
    }

    @Test
    void aClassWithOnlyATestGetsOneErrorNotTwo() {
        ConfigError error = onlyError(file -> classes(file).addObject().put("name", "pxe")
                .put("test", "option[93].exists"));

        assertEquals("Dhcp4.client-classes[2].test", error.path());
    }

    // ---- classes that do not resolve ---------------------------------------------------------

    @Test
    void aClassWithoutConditionsIsRefusedItWouldMatchEveryone() {
        assertEquals("Dhcp4.client-classes[2]: has no condition and would match every request; give at least one of "
                + CONDITIONS, onlyError(file -> classes(file).addObject().put("name", "everyone")).toString());
    }

    @Test
    void anEmptyListOfSubOptionsIsNoCondition() {
        assertEquals("Dhcp4.client-classes[2]", onlyError(file -> classes(file).addObject().put("name", "x")
                .putArray("relay-agent-sub-options")).path());
    }

    @Test
    void aClassWithoutANameIsRefused() {
        assertEquals("Dhcp4.client-classes[1].name: missing; the name pools use to refer to the class",
                onlyError(file -> clientClass(file, 1).remove("name")).toString());
    }

    @Test
    void aBlankOrPaddedNameIsRefused() {
        assertEquals("Dhcp4.client-classes[1].name: \" lobby\" is not a class name (not blank, no surrounding spaces)",
                onlyError(file -> clientClass(file, 1).put("name", " lobby")).toString());
        assertEquals("Dhcp4.client-classes[1].name", onlyError(file -> clientClass(file, 1).put("name", "")).path());
    }

    @Test
    void aNameDefinedTwiceIsRefusedAtTheSecondNamingTheFirst() {
        assertEquals("Dhcp4.client-classes[1].name: client class \"voip-phones\" is already defined by "
                + "Dhcp4.client-classes[0].name", onlyError(file -> clientClass(file, 1).put("name", "voip-phones")).toString());
    }

    @Test
    void aHardwarePrefixThatIsNotHexIsRefused() {
        ConfigError error = onlyError(file -> clientClass(file, 0).put("hw-address-prefix", "00:1b:2g"));
        assertEquals("Dhcp4.client-classes[0].hw-address-prefix", error.path());
        assertTrue(error.message().contains("00:1b:2g"), error.message());
    }

    @Test
    void aHardwarePrefixLongerThanChaddrIsRefused() {
        assertEquals("Dhcp4.client-classes[0].hw-address-prefix: \"00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10\" "
                + "has 17 octets; a hardware address has at most 16", onlyError(file -> clientClass(file, 0)
                .put("hw-address-prefix", "00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10")).toString());
    }

    @Test
    void anEmptyPrefixIsRefusedItWouldMatchEveryone() {
        assertEquals("Dhcp4.client-classes[0].vendor-class-prefix: is empty; an empty prefix would match every request",
                onlyError(file -> clientClass(file, 0).put("vendor-class-prefix", "")).toString());
        assertEquals("Dhcp4.client-classes[0].hw-address-prefix: is empty; an empty prefix would match every request",
                onlyError(file -> clientClass(file, 0).put("hw-address-prefix", "")).toString());
    }

    @Test
    void aVendorPrefixThatIsNotAsciiMustBeWrittenInHex() {
        assertEquals("Dhcp4.client-classes[0].vendor-class-prefix: \"Téléphone\" holds a character that is not "
                + "printable ASCII (U+00E9); write it in hex as 0x...",
                onlyError(file -> clientClass(file, 0).put("vendor-class-prefix", "Téléphone")).toString());
    }

    @Test
    void aBadRemoteIdNamesItsField() {
        ConfigError error = onlyError(file -> clientClass(file, 1).put("remote-id", "'switch-lobby"));
        assertEquals("Dhcp4.client-classes[1].remote-id", error.path());
        assertTrue(error.message().contains("nor text in single quotes"), error.message());
    }

    @Test
    void aSubOptionCodeOutOfRangeIsRefused() {
        assertEquals("Dhcp4.client-classes[1].relay-agent-sub-options[0].code: 255 is not a relay agent sub-option "
                + "code (1-254)", onlyError(file -> subOption(file).put("code", 255)).toString());
        assertEquals("Dhcp4.client-classes[1].relay-agent-sub-options[0].code",
                onlyError(file -> subOption(file).put("code", 0)).path());
    }

    @Test
    void aSubOptionNeedsItsCodeAndItsData() {
        assertEquals("Dhcp4.client-classes[1].relay-agent-sub-options[0].code",
                onlyError(file -> subOption(file).remove("code")).path());
        assertEquals("Dhcp4.client-classes[1].relay-agent-sub-options[0].data",
                onlyError(file -> subOption(file).remove("data")).path());
    }

    @Test
    void badSubOptionDataNamesTheDataField() {
        assertEquals("Dhcp4.client-classes[1].relay-agent-sub-options[0].data",
                onlyError(file -> subOption(file).put("data", "00:0g")).path());
    }

    @Test
    void aSubOptionRequiredTwiceIsRefusedARequestCarriesOneValue() {
        assertEquals("Dhcp4.client-classes[1].relay-agent-sub-options[0].code: relay agent sub-option 2 is already "
                + "required by Dhcp4.client-classes[1].remote-id; a request carries one value for it",
                onlyError(file -> subOption(file).put("code", 2)).toString());
    }

    @Test
    void badClassOptionDataNamesItsPath() {
        assertEquals("Dhcp4.client-classes[0].option-data[0].name",
                onlyError(file -> ((ObjectNode) clientClass(file, 0)
                        .get("option-data").get(0)).put("name", "no-such-option")).path());
    }

    @Test
    void anUnknownFieldInAClassListsTheKnownOnes() {
        ConfigError error = onlyError(file -> clientClass(file, 0).put("vendor-class", "MSFT"));
        assertEquals("Dhcp4.client-classes[0].vendor-class", error.path());
        assertTrue(error.message().contains("vendor-class-prefix") && error.message().contains("relay-agent-sub-options"),
                error.message());
    }

    // ---- pools and classes -------------------------------------------------------------------

    @Test
    void aPoolRestrictedToAnUndefinedClassIsRefusedListingTheDefinedOnes() {
        assertEquals("Dhcp4.subnet4[1].pools[1].client-class: \"phones\" is not a class defined in "
                + "Dhcp4.client-classes (defined: lobby-switch, voip-phones)",
                onlyError(file -> pool(file, 1, 1).put("client-class", "phones")).toString());
    }

    @Test
    void aPoolRestrictedToAClassWhenNoneIsDefinedSaysSo() {
        assertEquals("Dhcp4.subnet4[1].pools[1].client-class: \"voip-phones\" is not a class defined in "
                + "Dhcp4.client-classes (it defines none)",
                onlyError(file -> NodeFileFixture.dhcp4(file).remove("client-classes")).toString());
    }

    @Test
    void aPoolNamingAClassWithErrorsOfItsOwnIsNotReportedAgain() {
        assertEquals(List.of("Dhcp4.client-classes[0].hw-address-prefix: is empty; an empty prefix would match every request"),
                errors(file -> clientClass(file, 0).put("hw-address-prefix", "")));
    }

    @Test
    void badPoolOptionDataNamesItsPath() {
        assertEquals("Dhcp4.subnet4[1].pools[1].option-data[0].data",
                onlyError(file -> ((ObjectNode) pool(file, 1, 1)
                        .get("option-data").get(0)).put("data", "198.19.0")).path());
    }

    @Test
    void mistakesInSeveralClassesAndPoolsAreAllReportedInOneRun() {
        List<String> paths = errors(file -> {
            clientClass(file, 0).put("test", "member('KNOWN')");
            clientClass(file, 1).put("name", "voip-phones");
            subOption(file).put("code", 300);
            pool(file, 1, 1).put("client-class", "printers");
        }).stream().map(line -> line.substring(0, line.indexOf(':'))).toList();

        assertEquals(List.of("Dhcp4.client-classes[0].test", "Dhcp4.client-classes[1].name",
                "Dhcp4.client-classes[1].relay-agent-sub-options[0].code", "Dhcp4.subnet4[1].pools[1].client-class"),
                paths);
    }

    private static ObjectNode subOption(
            ObjectNode file) {
        return (ObjectNode) clientClass(file, 1).get("relay-agent-sub-options").get(0);
    }

    private static Octets ascii(String text) {
        return Octets.of(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static AddressRange range(String first, String last) {
        return new AddressRange(Ipv4Address.parse(first), Ipv4Address.parse(last));
    }
}
