package dev.dhcpcluster.bootstrap.config.kea;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dhcpcluster.bootstrap.cli.DhcpclusterCommand;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dhcpcluster config import-kea}: what each Kea setting becomes, and what is reported. */
class KeaImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path kea(String dhcp4Body) throws Exception {
        Path file = dir.resolve("kea-dhcp4.conf");
        Files.writeString(file, "{ \"Dhcp4\": {\n" + dhcp4Body + "\n} }\n", StandardCharsets.UTF_8);
        return file;
    }

    private static final String SUBNET = """
            "interfaces-config": { "interfaces": [ "eth1" ] },
            "subnet4": [ { "id": 7, "subnet": "198.18.0.0/24", "pools": [ { "pool": "198.18.0.10 - 198.18.0.99" } ] } ]
            """;

    private KeaImport.Result convert(Path file) throws Exception {
        KeaImport.Result result = new KeaImport().convert(file);
        assertEquals(List.of(), result.loadErrors(), result.nodeFile());
        return result;
    }

    private static JsonNode tree(KeaImport.Result result) throws Exception {
        return JSON.readTree(result.nodeFile());
    }

    private static String notes(KeaImport.Result result) {
        return result.notes().stream().map(KeaNote::toString).collect(Collectors.joining("\n"));
    }

    private static boolean reported(KeaImport.Result result, String path, KeaNote.Kind kind) {
        return result.notes().stream().anyMatch(note -> note.path().equals(path) && note.kind() == kind);
    }

    @Test
    @DisplayName("//, /* */ and # comments are read; a # or // inside a string is text")
    void readsKeaComments() throws Exception {
        Path file = kea("""
                // a line comment
                # a shell-style comment
                /* a block
                   comment */
                "option-data": [ { "name": "domain-name", "data": "lab#1.example" },   # after a value
                                 { "name": "root-path", "data": "http://host/path" } ],
                "valid-lifetime": 600, // trailing comment
                """ + SUBNET);
        KeaImport.Result result = convert(file);
        JsonNode options = tree(result).path("Dhcp4").path("option-data");
        assertEquals("lab#1.example", options.get(0).path("data").asText());
        assertEquals("http://host/path", options.get(1).path("data").asText());
        assertEquals(600, tree(result).path("Dhcp4").path("valid-lifetime").asInt());
    }

    @Test
    @DisplayName("trailing commas and numbers written .5 are read, as Kea reads them")
    void readsKeaLeniencies() throws Exception {
        Path file = kea("""
                "renew-timer": 100, "rebind-timer": 175, "valid-lifetime": 200,
                "calculate-tee-times": true, "t1-percent": .5, "t2-percent": .875,
                """ + SUBNET + ",");
        KeaImport.Result result = convert(file);
        assertEquals(100, tree(result).path("Dhcp4").path("renew-timer").asInt());
        assertFalse(notes(result).contains("percent"), notes(result));
    }

    @Test
    @DisplayName("a file that is not JSON is refused with its line and column, exit 2, nothing on stdout")
    void invalidJsonIsRefusedWithLineAndColumn() throws Exception {
        Path file = dir.resolve("broken.conf");
        Files.writeString(file, "{ \"Dhcp4\": {\n  \"valid-lifetime\": 600\n  \"subnet4\": []\n} }\n");
        KeaImportException e = assertThrows(KeaImportException.class, () -> new KeaImport().convert(file));
        assertTrue(e.getMessage().startsWith(file + ": line 3, column "), e.getMessage());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DhcpclusterCommand.commandLine(new PrintWriter(out), new PrintWriter(err))
                .execute("config", "import-kea", file.toString());
        assertEquals(2, code);
        assertEquals("", out.toString());
        assertTrue(err.toString().contains("line 3, column"), err.toString());
    }

    @Test
    @DisplayName("a missing file and a file without Dhcp4 are refused, exit 2")
    void missingFileAndMissingDhcp4AreRefused() throws Exception {
        KeaImportException missing = assertThrows(KeaImportException.class,
                () -> new KeaImport().convert(dir.resolve("nope.conf")));
        assertTrue(missing.getMessage().endsWith("nope.conf: does not exist"), missing.getMessage());
        Path dhcp6 = dir.resolve("kea-dhcp6.conf");
        Files.writeString(dhcp6, "{ \"Dhcp6\": { } }");
        KeaImportException noDhcp4 = assertThrows(KeaImportException.class, () -> new KeaImport().convert(dhcp6));
        assertTrue(noDhcp4.getMessage().contains("has no \"Dhcp4\" object (it holds Dhcp6)"), noDhcp4.getMessage());
    }

    @Test
    @DisplayName("an include directive is read in its place, relative to the including file")
    void includeIsReadInPlace() throws Exception {
        Files.writeString(dir.resolve("subnets.json"), "\"subnet4\": [ { \"subnet\": \"198.18.0.0/24\" } ]");
        Path file = kea("""
                "interfaces-config": { "interfaces": [ "eth1" ] },
                <?include "subnets.json"?>
                """);
        KeaImport.Result result = convert(file);
        assertEquals("198.18.0.0/24", tree(result).path("Dhcp4").path("subnet4").get(0).path("subnet").asText());
        assertTrue(notes(result).contains("<?include \"subnets.json\"?>: note: read "), notes(result));
    }

    @Test
    @DisplayName("every key is converted or reported, including a key no Kea version has")
    void unknownKeysAreReported() throws Exception {
        Path file = kea("""
                "hooks-libraries": [ { "library": "/usr/lib/kea/hooks/libdhcp_lease_cmds.so" } ],
                "future-knob": 3,
                "control-socket": { "socket-type": "unix", "socket-name": "/run/kea/ctrl" },
                """ + """
                "interfaces-config": { "interfaces": [ "eth1" ], "re-detect": true },
                "subnet4": [ { "subnet": "198.18.0.0/24", "new-subnet-knob": "x",
                               "pools": [ { "pool": "198.18.0.10 - 198.18.0.99", "pool-knob": 1 } ] } ]
                """);
        KeaImport.Result result = convert(file);
        assertTrue(notes(result).contains("Dhcp4.hooks-libraries[0]: not converted: hooks are not supported"),
                notes(result));
        assertTrue(reported(result, "Dhcp4.future-knob", KeaNote.Kind.NOT_CONVERTED), notes(result));
        assertTrue(reported(result, "Dhcp4.control-socket", KeaNote.Kind.NOT_CONVERTED), notes(result));
        assertTrue(reported(result, "Dhcp4.interfaces-config.re-detect", KeaNote.Kind.NOT_CONVERTED), notes(result));
        assertTrue(reported(result, "Dhcp4.subnet4[0].new-subnet-knob", KeaNote.Kind.NOT_CONVERTED), notes(result));
        assertTrue(reported(result, "Dhcp4.subnet4[0].pools[0].pool-knob", KeaNote.Kind.NOT_CONVERTED), notes(result));
        assertEquals(6, result.notes().stream().filter(note -> note.kind() == KeaNote.Kind.NOT_CONVERTED).count(),
                notes(result));
    }

    @Test
    @DisplayName("sections beside Dhcp4 are reported, not converted")
    void otherSectionsAreReported() throws Exception {
        Path file = dir.resolve("kea.conf");
        Files.writeString(file, "{ \"Dhcp4\": { " + SUBNET + " }, \"Dhcp6\": {}, \"Control-agent\": {} }");
        KeaImport.Result result = convert(file);
        assertTrue(notes(result).contains("Dhcp6: not converted: only the Dhcp4 section is converted"), notes(result));
        assertTrue(reported(result, "Control-agent", KeaNote.Kind.NOT_CONVERTED), notes(result));
    }

    @Test
    @DisplayName("global settings, lifetimes and option 54 are converted")
    void globalSettings() throws Exception {
        Path file = kea("""
                "valid-lifetime": 4000, "min-valid-lifetime": 3000, "max-valid-lifetime": 5000,
                "renew-timer": 1000, "rebind-timer": 2000,
                "authoritative": true, "decline-probation-period": 600, "offer-lifetime": 30,
                "match-client-id": true,
                "option-data": [ { "name": "dhcp-server-identifier", "data": "198.18.0.1" },
                                 { "code": 6, "data": "198.18.0.53, 198.18.0.54" },
                                 { "name": "default-ip-ttl", "data": "0xf0" },
                                 { "code": 252, "data": "0a0b", "csv-format": false } ],
                """ + SUBNET);
        KeaImport.Result result = convert(file);
        JsonNode dhcp4 = tree(result).path("Dhcp4");
        assertEquals("198.18.0.1", dhcp4.path("server-identifier").asText());
        assertEquals(4000, dhcp4.path("valid-lifetime").asInt());
        assertEquals(3000, dhcp4.path("min-valid-lifetime").asInt());
        assertEquals(5000, dhcp4.path("max-valid-lifetime").asInt());
        assertEquals(1000, dhcp4.path("renew-timer").asInt());
        assertEquals(2000, dhcp4.path("rebind-timer").asInt());
        assertTrue(dhcp4.path("authoritative").asBoolean());
        assertEquals(600, dhcp4.path("decline-probation-period").asInt());
        assertEquals(30, dhcp4.path("offer-lifetime").asInt());
        JsonNode options = dhcp4.path("option-data");
        assertEquals(3, options.size(), options.toString());
        assertEquals("domain-name-servers", options.get(0).path("name").asText());
        assertEquals("default-ip-ttl", options.get(1).path("name").asText());
        assertEquals(252, options.get(2).path("code").asInt());
        assertFalse(options.get(2).path("csv-format").asBoolean());
        NodeConfig config = new ConfigLoader().parse(result.nodeFile(), "converted");
        assertEquals(1, config.node().value());
        assertFalse(notes(result).contains("match-client-id"), notes(result));
    }

    @Test
    @DisplayName("the chosen node id and data directory are said; timers Kea would not send are reported")
    void defaultsAreSaid() throws Exception {
        KeaImport.Result result = convert(kea(SUBNET));
        JsonNode node = tree(result).path("node");
        assertEquals(1, node.path("id").asInt());
        assertEquals("/var/lib/dhcpcluster", node.path("data-directory").asText());
        assertTrue(reported(result, "node", KeaNote.Kind.NOTE), notes(result));
        assertTrue(reported(result, "Dhcp4", KeaNote.Kind.CHANGED), notes(result));
    }

    @Test
    @DisplayName("unknown option names, vendor spaces and options the node computes are reported, not kept")
    void unconvertibleOptionsAreReported() throws Exception {
        Path file = kea("""
                "option-data": [ { "name": "vivso-suboptions", "data": "4491" },
                                 { "name": "tftp-servers", "space": "vendor-4491", "data": "198.18.0.2" },
                                 { "name": "dhcp-renewal-time", "data": "100" },
                                 { "name": "routers", "data": "not-an-address" },
                                 { "name": "routers", "data": "198.18.0.1", "never-send": true },
                                 { "name": "ntp-servers", "data": "198.18.0.6", "always-send": true } ],
                """ + SUBNET);
        KeaImport.Result result = convert(file);
        JsonNode options = tree(result).path("Dhcp4").path("option-data");
        assertEquals(1, options.size(), options.toString());
        assertEquals("ntp-servers", options.get(0).path("name").asText());
        for (int i = 0; i < 5; i++) {
            assertTrue(reported(result, "Dhcp4.option-data[" + i + "]", KeaNote.Kind.NOT_CONVERTED), notes(result));
        }
        assertTrue(notes(result).contains("\"vivso-suboptions\" is not an option a node knows by name"), notes(result));
    }

    @Test
    @DisplayName("a subnet's interface, relay, authoritative, lifetimes, pools, options and reservations are converted")
    void subnetFields() throws Exception {
        Path file = kea("""
                "interfaces-config": { "interfaces": [ "eth1" ], "dhcp-socket-type": "udp" },
                "renew-timer": 1000, "rebind-timer": 2000, "valid-lifetime": 4000,
                "client-classes": [ { "name": "pxe", "test": "substring(option[60].hex,0,9) == 'PXEClient'" } ],
                "subnet4": [ {
                    "id": 3, "subnet": "198.18.0.0/24", "interface": "eth1", "authoritative": true,
                    "valid-lifetime": 8000,
                    "relay": { "ip-address": "198.19.0.1" },
                    "pools": [ { "pool": "198.18.0.10 - 198.18.0.99" },
                               { "pool": "198.18.0.100 - 198.18.0.149", "client-class": "pxe",
                                 "option-data": [ { "name": "boot-file-name", "data": "pxelinux.0" } ] } ],
                    "option-data": [ { "name": "routers", "data": "198.18.0.1" } ],
                    "reservations": [
                        { "hw-address": "02:00:00:00:00:01", "ip-address": "198.18.0.5", "hostname": "printer" },
                        { "client-id": "01:02:00:00:00:00:02", "ip-address": "198.18.0.6",
                          "option-data": [ { "name": "domain-name", "data": "lab.example" } ] },
                        { "circuit-id": "'port-7'", "ip-address": "198.18.0.7" },
                        { "flex-id": "'s0mEVaLue'", "ip-address": "198.18.0.8" },
                        { "duid": "01:02:03:04:05", "ip-address": "198.18.0.9" } ] },
                  { "subnet": "198.19.0.0/24", "relay": { "ip-addresses": [ "198.18.5.1", "198.18.5.2" ] } } ]
                """);
        KeaImport.Result result = convert(file);
        JsonNode subnet = tree(result).path("Dhcp4").path("subnet4").get(0);
        assertEquals(3, subnet.path("id").asInt());
        assertEquals("eth1", subnet.path("interface").asText());
        assertTrue(subnet.path("authoritative").asBoolean());
        assertEquals("198.19.0.1", subnet.path("relay").path("ip-addresses").get(0).asText());
        // Kea's subnet inherits the global timers on its own; written out, as a node's subnet would not.
        assertEquals(8000, subnet.path("valid-lifetime").asInt());
        assertEquals(1000, subnet.path("renew-timer").asInt());
        assertEquals(2000, subnet.path("rebind-timer").asInt());
        assertEquals("pxe", subnet.path("pools").get(1).path("client-class").asText());
        assertEquals("pxelinux.0", subnet.path("pools").get(1).path("option-data").get(0).path("data").asText());
        assertEquals("routers", subnet.path("option-data").get(0).path("name").asText());
        JsonNode reservations = subnet.path("reservations");
        assertEquals(3, reservations.size(), reservations.toString());
        assertEquals("printer", reservations.get(0).path("hostname").asText());
        assertEquals("01:02:00:00:00:00:02", reservations.get(1).path("client-id").asText());
        assertEquals("'port-7'", reservations.get(2).path("circuit-id").asText());
        assertTrue(reported(result, "Dhcp4.subnet4[0].reservations[3]", KeaNote.Kind.NOT_CONVERTED), notes(result));
        assertTrue(reported(result, "Dhcp4.subnet4[0].reservations[4]", KeaNote.Kind.NOT_CONVERTED), notes(result));
        assertEquals(2, tree(result).path("Dhcp4").path("subnet4").get(1).path("relay").path("ip-addresses").size());
        JsonNode pxe = tree(result).path("Dhcp4").path("client-classes").get(0);
        assertEquals("PXEClient", pxe.path("vendor-class-prefix").asText());
        assertEquals("udp", tree(result).path("transport").path("type").asText());
        assertEquals("eth1", tree(result).path("transport").path("interface").asText());
    }

    @Test
    @DisplayName("shared networks are flattened into their subnets, which inherit the network's settings")
    void sharedNetworksAreFlattened() throws Exception {
        Path file = kea("""
                "interfaces-config": { "interfaces": [ "eth1" ] },
                "shared-networks": [ {
                    "name": "lab", "interface": "eth1", "valid-lifetime": 900,
                    "relay": { "ip-addresses": [ "198.20.0.1" ] },
                    "option-data": [ { "name": "domain-name", "data": "net.example" },
                                     { "name": "routers", "data": "198.18.0.254" } ],
                    "subnet4": [
                        { "subnet": "198.18.0.0/24", "option-data": [ { "name": "routers", "data": "198.18.0.1" } ] },
                        { "subnet": "198.18.1.0/24" } ] } ],
                "subnet4": [ { "subnet": "198.19.0.0/24" } ]
                """);
        KeaImport.Result result = convert(file);
        JsonNode subnets = tree(result).path("Dhcp4").path("subnet4");
        assertEquals(3, subnets.size());
        assertEquals("198.19.0.0/24", subnets.get(0).path("subnet").asText());
        JsonNode first = subnets.get(1);
        JsonNode second = subnets.get(2);
        assertEquals("eth1", first.path("interface").asText());
        assertTrue(second.path("interface").isMissingNode(), "a node names an interface in one subnet only");
        assertEquals(900, first.path("valid-lifetime").asInt());
        assertEquals(900, second.path("valid-lifetime").asInt());
        assertEquals("198.18.0.1", first.path("option-data").get(0).path("data").asText(), "the subnet's own option wins");
        assertEquals("net.example", first.path("option-data").get(1).path("data").asText());
        assertEquals("198.18.0.254", second.path("option-data").get(1).path("data").asText());
        assertEquals("198.20.0.1", first.path("relay").path("ip-addresses").get(0).asText());
        assertTrue(second.path("relay").isMissingNode(), "a relay address selects one subnet");
        assertTrue(notes(result).contains("Dhcp4.shared-networks[0]: converted with a change: shared network \"lab\" "
                + "was flattened into its 2 subnet(s)"), notes(result));
        assertTrue(reported(result, "Dhcp4.shared-networks[0].subnet4[1].interface", KeaNote.Kind.CHANGED),
                notes(result));
    }

    @Test
    @DisplayName("class tests that name the vendor class, hardware address or relay sub-options become conditions")
    void classTests() throws Exception {
        Path file = kea("""
                "client-classes": [
                    { "name": "pxe", "test": "substring(option[60].hex,0,9) == 'PXEClient'",
                      "option-data": [ { "name": "tftp-server-name", "data": "198.18.0.5" } ] },
                    { "name": "msft", "test": "option[vendor-class-identifier].text == 'MSFT 5.0'" },
                    { "name": "intel", "test": "substring(pkt4.mac,0,3) == 0x001b21" },
                    { "name": "port", "test": "relay4[1].hex == 'port-7' and relay4[2].hex == 0x0a0b and relay4[9].hex == 0x01" },
                    { "name": "discover", "test": "pkt4.msgtype == 1" },
                    { "name": "hooked" } ],
                "interfaces-config": { "interfaces": [ "eth1" ] },
                "subnet4": [ { "subnet": "198.18.0.0/24",
                    "pools": [ { "pool": "198.18.0.10 - 198.18.0.19", "client-class": "discover" },
                               { "pool": "198.18.0.20 - 198.18.0.29", "client-class": "VENDOR_CLASS_docsis3.0" },
                               { "pool": "198.18.0.30 - 198.18.0.39", "client-class": "pxe" } ] } ]
                """);
        KeaImport.Result result = convert(file);
        JsonNode classes = tree(result).path("Dhcp4").path("client-classes");
        assertEquals("PXEClient", classes.get(0).path("vendor-class-prefix").asText());
        assertEquals("198.18.0.5", classes.get(0).path("option-data").get(0).path("data").asText());
        assertEquals("MSFT 5.0", classes.get(1).path("vendor-class-prefix").asText());
        assertTrue(reported(result, "Dhcp4.client-classes[1].test", KeaNote.Kind.CHANGED), notes(result));
        assertEquals("00:1b:21", classes.get(2).path("hw-address-prefix").asText());
        assertEquals("'port-7'", classes.get(3).path("circuit-id").asText());
        assertEquals("0a:0b", classes.get(3).path("remote-id").asText());
        assertEquals(9, classes.get(3).path("relay-agent-sub-options").get(0).path("code").asInt());
        assertEquals("VENDOR_CLASS_docsis3.0", classes.get(4).path("name").asText());
        assertEquals("docsis3.0", classes.get(4).path("vendor-class-prefix").asText());
        assertEquals(5, classes.size(), classes.toString());
        assertTrue(notes(result).contains("Dhcp4.client-classes[4]: not converted: class \"discover\": the test "
                + "\"pkt4.msgtype == 1\" cannot be written"), notes(result));
        assertTrue(reported(result, "Dhcp4.client-classes[5]", KeaNote.Kind.NOT_CONVERTED), notes(result));
        JsonNode pools = tree(result).path("Dhcp4").path("subnet4").get(0).path("pools");
        assertEquals(2, pools.size(), "the pool of an unconverted class is not opened to everyone: " + pools);
        assertTrue(reported(result, "Dhcp4.subnet4[0].pools[0]", KeaNote.Kind.NOT_CONVERTED), notes(result));
    }

    @Test
    @DisplayName("a global reservation moves into the subnet its address lies in")
    void globalReservations() throws Exception {
        Path file = kea("""
                "reservations": [ { "hw-address": "02:00:00:00:00:09", "ip-address": "198.18.0.9" },
                                  { "hw-address": "02:00:00:00:00:0a", "ip-address": "203.0.113.9" } ],
                """ + SUBNET);
        KeaImport.Result result = convert(file);
        JsonNode reservations = tree(result).path("Dhcp4").path("subnet4").get(0).path("reservations");
        assertEquals(1, reservations.size());
        assertEquals("198.18.0.9", reservations.get(0).path("ip-address").asText());
        assertTrue(reported(result, "Dhcp4.reservations[0]", KeaNote.Kind.CHANGED), notes(result));
        assertTrue(reported(result, "Dhcp4.reservations[1]", KeaNote.Kind.NOT_CONVERTED), notes(result));
    }

    @Test
    @DisplayName("a pool written as the whole subnet loses the network and broadcast address, with a note")
    void prefixPoolIsTrimmed() throws Exception {
        Path file = kea("""
                "interfaces-config": { "interfaces": [ "eth1" ] },
                "subnet4": [ { "subnet": "198.18.0.0/24", "pools": [ { "pool": "198.18.0.0/24" } ] },
                             { "subnet": "198.18.1.0/31" } ]
                """);
        KeaImport.Result result = convert(file);
        JsonNode subnets = tree(result).path("Dhcp4").path("subnet4");
        assertEquals("198.18.0.1 - 198.18.0.254", subnets.get(0).path("pools").get(0).path("pool").asText());
        assertTrue(reported(result, "Dhcp4.subnet4[0].pools[0].pool", KeaNote.Kind.CHANGED), notes(result));
        assertEquals(1, subnets.size());
        assertTrue(reported(result, "Dhcp4.subnet4[1]", KeaNote.Kind.NOT_CONVERTED), notes(result));
    }

    @Test
    @DisplayName("interfaces: several become the pcap transport; none or * take the subnets' interfaces")
    void interfacesBecomeATransport() throws Exception {
        KeaImport.Result several = convert(kea("""
                "interfaces-config": { "interfaces": [ "eth1", "eth2/198.18.0.1" ] },
                "subnet4": [ { "subnet": "198.18.0.0/24" } ]"""));
        JsonNode transport = tree(several).path("transport");
        assertEquals("pcap", transport.path("type").asText());
        assertEquals("[\"eth1\",\"eth2\"]", transport.path("interfaces").toString());
        assertTrue(reported(several, "Dhcp4.interfaces-config.interfaces[1]", KeaNote.Kind.CHANGED), notes(several));

        KeaImport.Result wildcard = convert(kea("""
                "interfaces-config": { "interfaces": [ "*" ] },
                "subnet4": [ { "subnet": "198.18.0.0/24", "interface": "eth3" } ]"""));
        assertEquals("eth3", tree(wildcard).path("transport").path("interface").asText());
        assertTrue(reported(wildcard, "Dhcp4.interfaces-config.interfaces", KeaNote.Kind.CHANGED), notes(wildcard));

        KeaImport.Result none = convert(kea("\"subnet4\": [ { \"subnet\": \"198.18.0.0/24\" } ]"));
        assertEquals("eth0", tree(none).path("transport").path("interface").asText());
        assertTrue(notes(none).contains("change it to the interface whose clients the node serves"), notes(none));
    }

    @Test
    @DisplayName("memfile becomes the sqlite store (its leases not imported); memfile without persist, memory")
    void leaseDatabase() throws Exception {
        KeaImport.Result memfile = convert(kea("""
                "lease-database": { "type": "memfile", "name": "/var/lib/kea/leases.csv", "lfc-interval": 3600 },
                """ + SUBNET));
        assertEquals("sqlite", tree(memfile).path("lease-store").path("type").asText());
        assertTrue(notes(memfile).contains("the leases in /var/lib/kea/leases.csv are not imported"), notes(memfile));
        assertTrue(reported(memfile, "Dhcp4.lease-database.lfc-interval", KeaNote.Kind.NOT_CONVERTED), notes(memfile));
        assertTrue(reported(memfile, "Dhcp4.lease-database.name", KeaNote.Kind.NOT_CONVERTED), notes(memfile));

        KeaImport.Result memory = convert(kea("""
                "lease-database": { "type": "memfile", "persist": false },
                """ + SUBNET));
        assertEquals("memory", tree(memory).path("lease-store").path("type").asText());
    }

    @Test
    @DisplayName("contradicting timers are dropped with a note, so the node file still loads")
    void contradictingTimers() throws Exception {
        KeaImport.Result result = convert(kea("""
                "valid-lifetime": 1000, "renew-timer": 2000, "rebind-timer": 3000,
                "match-client-id": false,
                """ + SUBNET));
        assertTrue(tree(result).path("Dhcp4").path("renew-timer").isMissingNode());
        assertTrue(reported(result, "Dhcp4.renew-timer", KeaNote.Kind.CHANGED), notes(result));
        assertTrue(reported(result, "Dhcp4.match-client-id", KeaNote.Kind.CHANGED), notes(result));
    }

    @Test
    @DisplayName("the command prints the node file on stdout, the notes on stderr, and exits 0")
    void commandWritesFileAndNotes() throws Exception {
        Path file = kea("\"hooks-libraries\": [ { \"library\": \"x.so\" } ],\n" + SUBNET);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DhcpclusterCommand.commandLine(new PrintWriter(out), new PrintWriter(err))
                .execute("config", "import-kea", file.toString());
        assertEquals(0, code, err.toString());
        Path converted = dir.resolve("node.json");
        Files.writeString(converted, out.toString());
        new ConfigLoader().load(converted);
        assertTrue(err.toString().contains("Dhcp4.hooks-libraries[0]: not converted: hooks are not supported"),
                err.toString());
        assertTrue(err.toString().contains(file + ": 1 not converted, 1 converted with a change"), err.toString());
    }

    @Test
    @DisplayName("a result the loader refuses is still written, its errors named, and the command exits 1")
    void unloadableResultExitsOne() throws Exception {
        Path file = kea("\"subnet4\": [ ]");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DhcpclusterCommand.commandLine(new PrintWriter(out), new PrintWriter(err))
                .execute("config", "import-kea", file.toString());
        assertEquals(1, code, err.toString());
        assertTrue(out.toString().contains("\"subnet4\": [ ]"), out.toString());
        assertTrue(err.toString().contains("the converted node file does not load yet")
                && err.toString().contains("Dhcp4.subnet4: missing or empty"), err.toString());
    }

    @Test
    @DisplayName("a subnet limited to a class limits its pools to the class; a pool of another class is left out")
    void subnetClassMovesToPools() throws Exception {
        Path file = kea("""
                "interfaces-config": { "interfaces": [ "eth1" ] },
                "client-classes": [ { "name": "phones", "test": "substring(option[60].hex,0,4) == 'VoIP'" },
                                    { "name": "pxe", "test": "option[60].text == 'PXEClient'" } ],
                "subnet4": [ { "subnet": "198.18.0.0/24", "client-class": "phones",
                               "pools": [ { "pool": "198.18.0.10 - 198.18.0.19" },
                                          { "pool": "198.18.0.20 - 198.18.0.29", "client-class": "pxe" } ] } ]
                """);
        KeaImport.Result result = convert(file);
        JsonNode pools = tree(result).path("Dhcp4").path("subnet4").get(0).path("pools");
        assertEquals(1, pools.size(), pools.toString());
        assertEquals("phones", pools.get(0).path("client-class").asText());
        assertTrue(reported(result, "Dhcp4.subnet4[0]", KeaNote.Kind.CHANGED), notes(result));
        assertTrue(reported(result, "Dhcp4.subnet4[0].pools[1]", KeaNote.Kind.NOT_CONVERTED), notes(result));
    }
}
