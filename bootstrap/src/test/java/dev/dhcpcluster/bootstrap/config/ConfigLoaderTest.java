package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.adapter.storage.SqliteLeaseStore;
import dev.dhcpcluster.bootstrap.StoreFiles;
import dev.dhcpcluster.bootstrap.plugin.AdapterCatalog;
import dev.dhcpcluster.bootstrap.plugin.AdapterChoice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.core.config.ClientClass;
import dev.dhcpcluster.core.config.LeaseTimes;
import dev.dhcpcluster.core.config.Reservation;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLE = Path.of("..", "examples", "node.json");

    private final ConfigLoader loader = new ConfigLoader();

    // ---- a good file -------------------------------------------------------------------------

    @Test
    void theShippedExampleLoads() throws Exception {
        NodeConfig config = loader.load(EXAMPLE);

        assertEquals(new NodeId(1), config.node());
        assertEquals("udp (interface eth0, listen-address 0.0.0.0, listen-port 67)", config.transport().describe());
        assertEquals(Path.of("/var/lib/dhcpcluster"), config.dataDirectory());
        assertEquals(Path.of("/var/lib/dhcpcluster/leases.db"), sqlite(config).file());
        assertEquals(Duration.ofSeconds(86400), sqlite(config).expiredRetention());
        ServerConfig server = config.server();
        assertEquals(Optional.of(Ipv4Address.parse("198.18.0.2")), server.serverIdentifier());
        assertEquals(Duration.ofSeconds(60), server.offerHold());
        assertEquals(Duration.ofSeconds(86400), server.declineProbation());
        assertEquals(16, server.maxHops());
        assertEquals(68, server.clientPort());
        assertEquals(67, server.relayPort());
        assertEquals(2, server.subnets().size());
        assertEquals(List.of("voip-phones", "lobby-switch"),
                server.clientClasses().stream().map(ClientClass::name).toList());
    }

    @Test
    void subnetValuesOverrideGlobalOnes() throws Exception {
        SubnetConfig subnet = loader.load(EXAMPLE).server().subnets().get(0);

        assertEquals(Ipv4Address.parse("198.18.0.0"), subnet.network());
        assertEquals(16, subnet.prefixLength());
        assertEquals(List.of(new AddressRange(Ipv4Address.parse("198.18.1.1"), Ipv4Address.parse("198.18.1.254"))),
                subnet.ranges());
        assertEquals(List.of(Ipv4Address.parse("127.0.0.2")), subnet.relayAddresses());
        // The subnet sets valid-lifetime alone, so min and max are its own valid lifetime (Kea's rule).
        assertEquals(new LeaseTimes(Duration.ofSeconds(600), Duration.ofSeconds(600), Duration.ofSeconds(600),
                Duration.ofSeconds(300), Duration.ofSeconds(525)), subnet.leaseTimes());
    }

    @Test
    void reservationsByHardwareAddressAndByClientId() throws Exception {
        List<Reservation> reservations = loader.load(EXAMPLE).server().subnets().get(0).reservations();

        assertEquals(Reservation.forHardwareAddress(HardwareAddress.parseEthernet("02:00:00:00:00:01"),
                Ipv4Address.parse("198.18.0.10"), Optional.of("printer")), reservations.get(0));
        assertEquals(Reservation.forClientId(ClientKey.ofClientId(new byte[] {1, 2, 0, 0, 0, 0, 2}),
                Ipv4Address.parse("198.18.0.11"), Optional.empty()), reservations.get(1));
    }

    @Test
    void globalOptionsStayGlobalAndEachSubnetKeepsOnlyItsOwn() throws Exception {
        ObjectNode file = example();
        subnet(file).withArray("option-data").addObject().put("name", "domain-name-servers").put("data", "198.18.0.99");

        ServerConfig server = parse(file).server();
        SubnetConfig subnet = server.subnets().get(0);

        // Both levels keep their value; the policy ranks them (the subnet's above the global one).
        assertTrue(Arrays.equals(Ipv4Address.parse("198.18.0.99").toBytes(),
                subnet.options().get(OptionCode.DOMAIN_NAME_SERVERS).orElseThrow()));
        assertTrue(Arrays.equals(Ipv4Address.parse("198.18.0.1").toBytes(),
                subnet.options().get(OptionCode.ROUTERS).orElseThrow()));
        assertFalse(subnet.options().contains(252), "a global option is not copied into the subnet");
        assertEquals(List.of(OptionCode.DOMAIN_NAME_SERVERS, 252), server.options().codes());
        assertTrue(Arrays.equals(Ipv4Address.parse("198.18.0.53").toBytes(), Arrays.copyOf(
                server.options().get(OptionCode.DOMAIN_NAME_SERVERS).orElseThrow(), 4)));
        assertTrue(Arrays.equals(new byte[] {0x0a, 0x0b}, server.options().get(252).orElseThrow()));
    }

    @Test
    void aSubnetWithoutLifetimesInheritsTheGlobalOnes() throws Exception {
        ObjectNode file = example();
        subnet(file).remove(List.of("valid-lifetime", "renew-timer", "rebind-timer"));

        LeaseTimes times = parse(file).server().subnets().get(0).leaseTimes();

        assertEquals(new LeaseTimes(Duration.ofSeconds(3600), Duration.ofSeconds(1800), Duration.ofSeconds(7200),
                Duration.ofSeconds(1800), Duration.ofSeconds(3150)), times);
    }

    @Test
    @DisplayName("#23 without renew-timer and rebind-timer, T1 and T2 are 0.5 and 0.875 of the lease")
    void renewAndRebindDefaultToHalfAndSevenEighthsOfTheLifetime() throws Exception {
        ObjectNode file = example();
        ((ObjectNode) file.get("Dhcp4")).remove(List.of("renew-timer", "rebind-timer"));
        subnet(file).remove(List.of("renew-timer", "rebind-timer"));
        subnet(file).put("valid-lifetime", 1000);

        LeaseTimes times = parse(file).server().subnets().get(0).leaseTimes();

        assertEquals(Duration.ofSeconds(500), times.renew());
        assertEquals(Duration.ofSeconds(875), times.rebind());
    }

    @Test
    void aSubnetWithItsOwnLifetimeDoesNotInheritGlobalTimers() throws Exception {
        ObjectNode file = example();
        subnet(file).remove(List.of("renew-timer", "rebind-timer"));

        LeaseTimes times = parse(file).server().subnets().get(0).leaseTimes();

        assertEquals(Duration.ofSeconds(300), times.renew());
        assertEquals(Duration.ofSeconds(525), times.rebind());
    }

    @Test
    void aMinimalFileGetsKeaDefaults() throws Exception {
        NodeConfig config = loader.parse("""
                {"node": {"id": 7}, "transport": {"type": "udp", "interface": "eth1"}, "lease-store": {"type": "memory"},
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/24", "pools": [{"pool": "198.18.0.16/28"}]}]}}
                """, "minimal");

        assertEquals("udp (interface eth1)", config.transport().describe());
        assertEquals("memory", config.leaseStore().describe());
        ServerConfig server = config.server();
        assertEquals(Optional.empty(), server.serverIdentifier());
        assertEquals(ServerConfig.DEFAULT_OFFER_HOLD, server.offerHold());
        assertEquals(ServerConfig.DEFAULT_DECLINE_PROBATION, server.declineProbation());
        assertEquals(ServerConfig.DEFAULT_MAX_HOPS, server.maxHops());
        assertEquals(68, server.clientPort());
        assertEquals(67, server.relayPort());
        assertEquals(LeaseTimes.of(Duration.ofSeconds(7200)), server.subnets().get(0).leaseTimes());
        assertEquals(new AddressRange(Ipv4Address.parse("198.18.0.16"), Ipv4Address.parse("198.18.0.31")),
                server.subnets().get(0).ranges().get(0));
    }

    @Test
    void loadsFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("node.json");
        Files.writeString(file, JSON.writeValueAsString(example()));

        assertEquals(new NodeId(1), loader.load(file).node());
    }

    // ---- bad files: each error names the path of its field ---------------------------------

    @Test
    void aMissingFileIsAnError(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(dir.resolve("absent.json")));
        assertEquals("(file): does not exist", e.errors().get(0).toString());
    }

    @Test
    void notJsonNamesTheLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("{\n  \"node\": {\"id\": 1,,}\n}", "x"));
        assertTrue(e.errors().get(0).path().startsWith("line 2"), e.getMessage());
    }

    @Test
    void commentsAreAllowedAsInKea() throws Exception {
        String json = JSON.writeValueAsString(example()).replaceFirst("\\{", "{ // a node\n# also this\n/* and this */");
        assertEquals(new NodeId(1), loader.parse(json, "commented").node());
    }

    @Test
    void aFileThatIsNotAnObjectIsAnError() {
        ConfigException array = assertThrows(ConfigException.class, () -> loader.parse("[]", "x"));
        assertEquals("(file): expected an object, found an array", array.errors().get(0).toString());
        ConfigException nothing = assertThrows(ConfigException.class, () -> loader.parse("null", "x"));
        assertEquals("(file)", nothing.errors().get(0).path());
    }

    @Test
    void anEmptyFileIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("  ", "x"));
        assertEquals("(file)", e.errors().get(0).path());
    }

    @Test
    void anUnknownFieldIsAnErrorNamingItsPathAndTheKnownOnes() {
        ConfigError error = onlyError(file -> subnet(file).withArray("pools").addObject().put("pol", "198.18.2.1 - 198.18.2.2"));
        assertEquals("Dhcp4.subnet4[0].pools[1].pol", error.path());
        assertTrue(error.message().contains("unknown field") && error.message().contains("pool"), error.message());
    }

    @Test
    void anUnknownTopLevelFieldIsAnError() {
        assertEquals("Dhcp6", onlyError(file -> file.putObject("Dhcp6")).path());
    }

    @Test
    void aDuplicateFieldIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse(
                "{\"node\": {\"id\": 1, \"id\": 2}}", "x"));
        assertTrue(e.getMessage().contains("node") && e.getMessage().contains("id"), e.getMessage());
    }

    @Test
    void aStringWhereANumberBelongsIsAnError() {
        ConfigError error = onlyError(file -> ((ObjectNode) file.get("Dhcp4")).put("valid-lifetime", "3600"));
        assertEquals("Dhcp4.valid-lifetime", error.path());
        assertEquals("expected a whole number, found a string", error.message());
    }

    @Test
    void aNumberWhereAStringBelongsIsAnError() {
        ConfigError error = onlyError(file -> subnet(file).put("subnet", 19818));
        assertEquals("Dhcp4.subnet4[0].subnet", error.path());
        assertEquals("expected a string, found a whole number", error.message());
    }

    @Test
    void aFractionIsNotAWholeNumber() {
        assertEquals("transport.listen-port", onlyError(file -> transport(file).put("listen-port", 67.5)).path());
    }

    @Test
    void anObjectWhereAnArrayBelongsIsAnError() {
        ConfigError error = onlyError(file -> subnet(file).putObject("pools"));
        assertEquals("Dhcp4.subnet4[0].pools", error.path());
        assertEquals("expected an array, found an object", error.message());
    }

    @Test
    void aNumberTooLargeForItsFieldIsAnError() {
        ConfigError error = onlyError(file -> ((ObjectNode) file.get("node")).put("id", 99999999999L));
        assertEquals("node.id", error.path());
    }

    @Test
    void aMissingNodeIdIsAnError() {
        assertEquals("node.id", onlyError(file -> ((ObjectNode) file.get("node")).remove("id")).path());
    }

    @Test
    void aNonPositiveNodeIdIsAnError() {
        assertEquals("node.id: 0 is not a positive number",
                onlyError(file -> ((ObjectNode) file.get("node")).put("id", 0)).toString());
    }

    @Test
    void anUnknownTransportIsAnErrorListingTheKnownOnes() {
        assertEquals("transport.type: \"carrier-pigeon\" is not a known transport; known: pcap, udp",
                onlyError(file -> transport(file).put("type", "carrier-pigeon")).toString());
    }

    @Test
    void anUnknownLeaseStoreIsAnError() {
        assertEquals("lease-store.type: \"floppy\" is not a known lease store; known: memory, sqlite",
                onlyError(file -> store(file).put("type", "floppy")).toString());
    }

    // ---- the data directory and the lease store ---------------------------------------------

    @Test
    void withoutALeaseStoreSectionTheNodeKeepsLeasesInSqliteInItsDataDirectory() throws Exception {
        ObjectNode file = example();
        file.remove("lease-store");

        NodeConfig config = parse(file);
        assertEquals(Path.of("/var/lib/dhcpcluster/leases.db"), sqlite(config).file());
        assertEquals(Duration.ofDays(1), sqlite(config).expiredRetention());
    }

    @Test
    void aStoreWithoutATypeIsSqlite() throws Exception {
        ObjectNode file = example();
        store(file).remove("type");

        assertEquals("sqlite", parse(file).leaseStore().type());
    }

    @Test
    void withoutADataDirectoryTheNodeUsesVarLibDhcpcluster() throws Exception {
        ObjectNode file = example();
        ((ObjectNode) file.get("node")).remove("data-directory");

        assertEquals(Path.of("/var/lib/dhcpcluster"), parse(file).dataDirectory());
    }

    @Test
    void aRelativeDataDirectoryIsTakenFromTheWorkingDirectory() throws Exception {
        ObjectNode file = example();
        ((ObjectNode) file.get("node")).put("data-directory", "state/node-1");

        NodeConfig config = parse(file);

        Path expected = Path.of("").toAbsolutePath().resolve("state/node-1");
        assertEquals(expected, config.dataDirectory());
        assertEquals(expected.resolve("leases.db"), sqlite(config).file());
    }

    @Test
    void aRelativeStoreFileLivesInTheDataDirectory() throws Exception {
        ObjectNode file = example();
        store(file).put("file", "stores/../stores/leases-1.db");

        assertEquals(Path.of("/var/lib/dhcpcluster/stores/leases-1.db"), sqlite(parse(file)).file());
    }

    @Test
    void anAbsoluteStoreFileIsUsedWhereverItIs() throws Exception {
        ObjectNode file = example();
        store(file).put("file", "/srv/dhcp/leases.db");

        assertEquals(Path.of("/srv/dhcp/leases.db"), sqlite(parse(file)).file());
    }

    @Test
    void theExpiredRetentionIsInSeconds() throws Exception {
        ObjectNode file = example();
        store(file).put("expired-retention", 0);

        assertEquals(Duration.ZERO, sqlite(parse(file)).expiredRetention());
    }

    @Test
    void aNegativeExpiredRetentionIsAnError() {
        assertEquals("lease-store.expired-retention: must be 0-4294967294, not -1",
                onlyError(file -> store(file).put("expired-retention", -1)).toString());
    }

    @Test
    void aStoreFileThatNamesADirectoryIsAnError() {
        assertEquals("lease-store.file: \"leases/\" names a directory; name the store's file, like \"leases.db\"",
                onlyError(file -> store(file).put("file", "leases/")).toString());
        assertEquals("lease-store.file", onlyError(file -> store(file).put("file", "/srv/..")).path());
    }

    @Test
    void aBlankDataDirectoryIsAnError() {
        assertEquals("node.data-directory: \" \" is not a path",
                onlyError(file -> ((ObjectNode) file.get("node")).put("data-directory", " ")).toString());
    }

    @Test
    void aDataDirectoryTheSystemCannotNameIsAnError() {
        ConfigError error = onlyError(file -> ((ObjectNode) file.get("node")).put("data-directory", "/var/lib/a\u0000b"));
        assertEquals("node.data-directory", error.path());
        assertTrue(error.message().contains("is not a path"), error.message());
    }

    @Test
    void aDataDirectoryWrittenAsANumberIsAnError() {
        assertEquals("node.data-directory: expected a string, found a whole number",
                onlyError(file -> ((ObjectNode) file.get("node")).put("data-directory", 7)).toString());
    }

    @Test
    void theMemoryStoreTakesNoFileAndNoRetention() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(mutated(file -> store(file).put("type", "memory"))));

        assertEquals(List.of("lease-store.file: the memory lease store keeps no file",
                "lease-store.expired-retention: the memory lease store keeps no expired leases"),
                e.errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void theMemoryStoreAloneIsAccepted() throws Exception {
        ObjectNode file = example();
        file.putObject("lease-store").put("type", "memory");

        assertEquals("memory", parse(file).leaseStore().describe());
    }

    @Test
    void aBadListenAddressIsAnError() {
        assertEquals("transport.listen-address: \"0.0.0.256\" is not an IPv4 address (dotted quad, like 198.18.0.1)",
                onlyError(file -> transport(file).put("listen-address", "0.0.0.256")).toString());
    }

    @Test
    void listeningOnEveryAddressNeedsAnInterface() {
        assertEquals("transport.interface", onlyError(file -> transport(file).remove("interface")).path());
    }

    @Test
    void listeningOnOneAddressNeedsNoInterface() throws Exception {
        ObjectNode file = example();
        transport(file).put("listen-address", "127.0.0.1").remove("interface");
        assertEquals(Map.of(), parse(file).transport().interfaces());
    }

    @Test
    void aPortOutOfRangeIsAnError() {
        assertEquals("transport.relay-port: 70000 is not a UDP port (1-65535)",
                onlyError(file -> transport(file).put("relay-port", 70000)).toString());
        assertEquals("transport.client-port", onlyError(file -> transport(file).put("client-port", 0)).path());
    }

    @Test
    void listenPortZeroMeansAnyFreePort() throws Exception {
        ObjectNode file = example();
        transport(file).put("listen-port", 0);
        assertEquals(0, parse(file).transport().settings().get("listen-port"));
    }

    @Test
    void transportPortsReachTheServerConfig() throws Exception {
        ObjectNode file = example();
        transport(file).put("client-port", 6868).put("relay-port", 6767);
        ServerConfig server = parse(file).server();
        assertEquals(6868, server.clientPort());
        assertEquals(6767, server.relayPort());
    }

    @Test
    void aBadServerIdentifierIsAnError() {
        assertEquals("Dhcp4.server-identifier",
                onlyError(file -> ((ObjectNode) file.get("Dhcp4")).put("server-identifier", "server")).path());
    }

    @Test
    void maxHopsAbove255IsAnError() {
        assertEquals("Dhcp4.max-hops: 256 is not 0-255",
                onlyError(file -> ((ObjectNode) file.get("Dhcp4")).put("max-hops", 256)).toString());
    }

    @Test
    void aZeroOfferLifetimeIsAnError() {
        assertEquals("Dhcp4.offer-lifetime",
                onlyError(file -> ((ObjectNode) file.get("Dhcp4")).put("offer-lifetime", 0)).path());
    }

    @Test
    void aPoolThatEndsBeforeItStartsIsAnError() {
        ConfigError error = onlyError(file -> subnet(file).withArray("pools").addObject()
                .put("pool", "198.18.9.1 - 198.18.1.2"));
        assertEquals("Dhcp4.subnet4[0].pools[1].pool: \"198.18.9.1 - 198.18.1.2\" ends before it starts",
                error.toString());
    }

    @Test
    void aPoolOutsideItsSubnetIsAnError() {
        assertEquals("Dhcp4.subnet4[0].pools[0].pool: \"198.19.1.1 - 198.19.1.9\" is not inside the subnet 198.18.0.0/16",
                onlyError(file -> pool(file, 0).put("pool", "198.19.1.1 - 198.19.1.9")).toString());
    }

    @Test
    void aPoolWithABadAddressIsAnError() {
        assertEquals("Dhcp4.subnet4[0].pools[0].pool",
                onlyError(file -> pool(file, 0).put("pool", "198.18.1.1 - 198.18.1")).path());
    }

    @Test
    void overlappingPoolsAreAnError() {
        ConfigError error = onlyError(file -> subnet(file).withArray("pools").addObject()
                .put("pool", "198.18.1.200 - 198.18.2.10"));
        assertEquals("Dhcp4.subnet4[0].pools[1].pool", error.path());
        assertTrue(error.message().contains("overlaps 198.18.1.1 - 198.18.1.254 (Dhcp4.subnet4[0].pools[0].pool)"),
                error.message());
    }

    @Test
    void aPoolHoldingTheBroadcastAddressIsAnError() {
        assertEquals("Dhcp4.subnet4[0].pools[0].pool",
                onlyError(file -> pool(file, 0).put("pool", "198.18.255.0 - 198.18.255.255")).path());
    }

    @Test
    void aSubnetWithHostBitsIsAnError() {
        assertEquals("Dhcp4.subnet4[0].subnet: \"198.18.0.1/16\" has host bits set (the network is 198.18.0.0/16)",
                onlyError(file -> subnet(file).put("subnet", "198.18.0.1/16")).toString());
    }

    @Test
    void aSubnetTooSmallForAPoolIsAnError() {
        assertEquals("Dhcp4.subnet4[0].subnet",
                onlyError(file -> subnet(file).put("subnet", "198.18.0.0/31")).path());
    }

    @Test
    void overlappingSubnetsAreAnError() {
        ConfigError error = onlyError(file -> subnets(file).addObject().put("subnet", "198.18.4.0/24"));
        assertEquals("Dhcp4.subnet4[2].subnet: \"198.18.4.0/24\" overlaps 198.18.0.0/16 (Dhcp4.subnet4[0].subnet)",
                error.toString());
    }

    @Test
    void aRepeatedSubnetIdIsAnError() {
        ConfigError error = onlyError(file -> subnets(file).addObject().put("id", 1).put("subnet", "198.19.1.0/24"));
        assertEquals("Dhcp4.subnet4[2].id: subnet id 1 is already used by Dhcp4.subnet4[0].id", error.toString());
    }

    @Test
    void noSubnetIsAnError() {
        assertEquals("Dhcp4.subnet4", onlyError(file -> subnets(file).removeAll()).path());
    }

    @Test
    void aReservationOutsideItsSubnetIsAnError() {
        assertEquals("Dhcp4.subnet4[0].reservations[0].ip-address: 198.19.0.10 is not inside the subnet 198.18.0.0/16",
                onlyError(file -> reservation(file, 0).put("ip-address", "198.19.0.10")).toString());
    }

    @Test
    void aReservationWithBothIdentitiesIsAnError() {
        assertEquals("Dhcp4.subnet4[0].reservations[1]: needs exactly one of \"hw-address\", \"client-id\", "
                + "\"circuit-id\" and \"remote-id\" to name its client, found \"hw-address\" and \"client-id\"",
                onlyError(file -> reservation(file, 1).put("hw-address", "02:00:00:00:00:09")).toString());
    }

    @Test
    void aBadHardwareAddressIsAnError() {
        assertEquals("Dhcp4.subnet4[0].reservations[0].hw-address",
                onlyError(file -> reservation(file, 0).put("hw-address", "02:00:00:00:00")).path());
    }

    @Test
    void aBadClientIdIsAnError() {
        assertEquals("Dhcp4.subnet4[0].reservations[1].client-id",
                onlyError(file -> reservation(file, 1).put("client-id", "01:zz")).path());
    }

    @Test
    void anAddressReservedTwiceIsAnError() {
        assertEquals("Dhcp4.subnet4[0].reservations[1].ip-address: 198.18.0.10 is already reserved by "
                + "Dhcp4.subnet4[0].reservations[0]",
                onlyError(file -> reservation(file, 1).put("ip-address", "198.18.0.10")).toString());
    }

    @Test
    void aBadRelayAddressIsAnError() {
        assertEquals("Dhcp4.subnet4[0].relay.ip-addresses[0]",
                onlyError(file -> subnet(file).putObject("relay").putArray("ip-addresses").add("127.0.0")).path());
    }

    @Test
    void renewNotBelowRebindIsAnError() {
        ConfigError error = onlyError(file -> subnet(file).put("renew-timer", 525));
        assertEquals("Dhcp4.subnet4[0].renew-timer", error.path());
        assertTrue(error.message().contains("must be below rebind-timer 525"), error.message());
    }

    @Test
    void rebindNotBelowTheLifetimeIsAnError() {
        ConfigError error = onlyError(file -> subnet(file).put("rebind-timer", 600));
        assertEquals("Dhcp4.subnet4[0].rebind-timer", error.path());
    }

    @Test
    void aGlobalTimerErrorIsReportedOnceAtItsGlobalPath() {
        ConfigError error = onlyError(file -> ((ObjectNode) file.get("Dhcp4")).put("renew-timer", 3200));
        assertEquals("Dhcp4.renew-timer", error.path());
    }

    @Test
    void aMinimumAboveTheLifetimeIsAnError() {
        ConfigError error = onlyError(file -> subnet(file).put("min-valid-lifetime", 700));
        assertEquals("Dhcp4.subnet4[0].min-valid-lifetime", error.path());
    }

    @Test
    void aLifetimeOfZeroIsAnError() {
        assertEquals("Dhcp4.subnet4[0].valid-lifetime: 0 is not 1 to 4294967294 seconds",
                onlyError(file -> subnet(file).put("valid-lifetime", 0)).toString());
    }

    @Test
    void anUnknownOptionNameIsAnError() {
        assertEquals("Dhcp4.subnet4[0].option-data[0].name",
                onlyError(file -> option(file, 0).put("name", "no-such-option")).path());
    }

    @Test
    void badOptionDataNamesTheDataField() {
        ConfigError error = onlyError(file -> option(file, 0).put("data", "198.18.0"));
        assertEquals("Dhcp4.subnet4[0].option-data[0].data", error.path());
        assertTrue(error.message().contains("198.18.0"), error.message());
    }

    @Test
    void anOptionWithoutDataIsAnError() {
        assertEquals("Dhcp4.option-data[0].data",
                onlyError(file -> ((ObjectNode) file.get("Dhcp4").get("option-data").get(0)).remove("data")).path());
    }

    @Test
    void anOptionWithoutADefinitionNeedsHex() {
        assertEquals("Dhcp4.option-data[1].csv-format", onlyError(file ->
                ((ObjectNode) file.get("Dhcp4").get("option-data").get(1)).put("csv-format", true)).path());
    }

    @Test
    void badHexOptionDataIsAnError() {
        assertEquals("Dhcp4.option-data[1].data", onlyError(file ->
                ((ObjectNode) file.get("Dhcp4").get("option-data").get(1)).put("data", "0a0")).path());
    }

    @Test
    void anOptionTheServerSetsItselfCannotBeConfigured() {
        ConfigError error = onlyError(file -> ((ObjectNode) file.get("Dhcp4").get("option-data").get(1)).put("code", 51));
        assertEquals("Dhcp4.option-data[1]", error.path());
        assertTrue(error.message().contains("valid-lifetime"), error.message());
    }

    @Test
    void anOptionCodeOutOfRangeIsAnError() {
        assertEquals("Dhcp4.option-data[1].code",
                onlyError(file -> ((ObjectNode) file.get("Dhcp4").get("option-data").get(1)).put("code", 255)).path());
    }

    @Test
    void anOptionSetTwiceInOneListIsAnError() {
        ConfigError error = onlyError(file -> subnet(file).withArray("option-data").addObject()
                .put("code", 3).put("data", "198.18.0.2"));
        assertEquals("Dhcp4.subnet4[0].option-data[1]: option 3 is already set by Dhcp4.subnet4[0].option-data[0]",
                error.toString());
    }

    @Test
    void everyErrorIsReportedNotOnlyTheFirst() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(mutated(file -> {
            ((ObjectNode) file.get("node")).put("id", -1);
            transport(file).put("listen-address", "nowhere");
            pool(file, 0).put("pool", "198.18.9.1 - 198.18.1.2");
            reservation(file, 0).put("ip-address", "198.19.0.1");
            subnet(file).put("renew-timer", 9999);
        })));

        List<String> paths = e.errors().stream().map(ConfigError::path).toList();
        assertEquals(List.of("node.id", "transport.listen-address", "Dhcp4.subnet4[0].pools[0].pool",
                "Dhcp4.subnet4[0].reservations[0].ip-address", "Dhcp4.subnet4[0].renew-timer"), paths);
        assertTrue(e.getMessage().startsWith("test: 5 errors"), e.getMessage());
    }

    @Test
    void mistakesInClassesPoolsInterfacesAndReservationsAreAllReportedInOneRun() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(mutated(file -> {
            ObjectNode phones = (ObjectNode) file.get("Dhcp4").get("client-classes").get(0);
            phones.put("test", "substring(option[60].hex,0,4) == 'VoIP'");
            ObjectNode second = (ObjectNode) subnets(file).get(1);
            subnet(file).put("interface", "eth1");
            ((ObjectNode) second.get("pools").get(1)).put("client-class", "phones");
            ((ObjectNode) second.get("reservations").get(0)).put("circuit-id", "'port-7");
        })));

        assertEquals(List.of("Dhcp4.client-classes[0].test", "Dhcp4.subnet4[1].pools[1].client-class",
                "Dhcp4.subnet4[1].reservations[0].circuit-id", "Dhcp4.subnet4[1].interface"),
                e.errors().stream().map(ConfigError::path).toList());
    }

    @Test
    void theErrorMessageListsOneErrorPerLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(mutated(file ->
                pool(file, 0).put("pool", "198.18.9.1 - 198.18.1.2"))));
        assertEquals("test: 1 error" + System.lineSeparator()
                + "  Dhcp4.subnet4[0].pools[0].pool: \"198.18.9.1 - 198.18.1.2\" ends before it starts", e.getMessage());
    }

    @Test
    void theLoaderAcceptsOnlyTheAdaptersOfItsCatalog() throws Exception {
        // The platform class loader sees none of the project's jars, so no provider at all.
        ConfigLoader strict = new ConfigLoader(AdapterCatalog.load(ClassLoader.getPlatformClassLoader()));
        ConfigException e = assertThrows(ConfigException.class,
                () -> strict.parse(JSON.writeValueAsString(example()), "x"));
        assertEquals("transport.type", e.errors().get(0).path());
        assertFalse(e.errors().isEmpty());
    }

    // ---- the pcap transport ------------------------------------------------------------------

    @Test
    void aPcapTransportServesTheListedInterfaces() throws Exception {
        ObjectNode file = example();
        pcapOn(file, "eth1", "eth2");

        AdapterChoice<?> transport = parse(file).transport();

        assertEquals("pcap", transport.type());
        assertEquals(Map.of("transport.interfaces[0]", "eth1", "transport.interfaces[1]", "eth2"), transport.interfaces());
    }

    @Test
    void aPcapTransportWithoutInterfacesIsAnError() {
        ConfigError error = onlyError(file -> pcapOn(file).remove("interfaces"));

        assertEquals("transport.interfaces", error.path());
        assertTrue(error.message().startsWith("missing"), error.message());
    }

    @Test
    void aPcapTransportWithAnEmptyListIsAnError() {
        assertEquals("transport.interfaces: empty; list at least one interface",
                onlyError(file -> pcapOn(file)).toString());
    }

    @Test
    void anInterfaceListedTwiceIsAnErrorNamingItsPlace() {
        assertEquals("transport.interfaces[2]: \"eth1\" is listed twice",
                onlyError(file -> pcapOn(file, "eth1", "eth2", "eth1")).toString());
    }

    @Test
    void aBlankInterfaceNameInTheListIsAnError() {
        assertEquals("transport.interfaces[1]", onlyError(file -> pcapOn(file, "eth1", " ")).path());
    }

    @Test
    void aPcapTransportTakesNoSingleInterface() {
        assertEquals("transport.interface", onlyError(file -> pcapOn(file, "eth1").put("interface", "eth0")).path());
    }

    @Test
    void aListOfInterfacesIsAnErrorForTheUdpTransport() {
        ConfigError error = onlyError(file -> transport(file).putArray("interfaces").add("eth1").add("eth2"));

        assertEquals("transport.interfaces", error.path());
        assertTrue(error.message().contains("transport.interface"), error.message());
    }

    private static ObjectNode pcapOn(ObjectNode file, String... interfaces) {
        ObjectNode transport = transport(file);
        transport.put("type", "pcap").remove("interface");
        ArrayNode list = transport.putArray("interfaces");
        Arrays.stream(interfaces).forEach(list::add);
        return transport;
    }

    // ---- helpers ---------------------------------------------------------------------------

    private NodeConfig parse(ObjectNode file) throws ConfigException {
        try {
            return loader.parse(JSON.writeValueAsString(file), "test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ConfigError onlyError(Consumer<ObjectNode> mutation) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(mutated(mutation)));
        assertEquals(1, e.errors().size(), e.getMessage());
        return e.errors().get(0);
    }

    private static ObjectNode mutated(Consumer<ObjectNode> mutation) {
        ObjectNode file = example();
        mutation.accept(file);
        return file;
    }

    private static ObjectNode example() {
        try {
            return (ObjectNode) JSON.readTree(EXAMPLE.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode store(ObjectNode file) {
        return (ObjectNode) file.get("lease-store");
    }

    private static ObjectNode transport(ObjectNode file) {
        return (ObjectNode) file.get("transport");
    }

    private static ArrayNode subnets(ObjectNode file) {
        return (ArrayNode) file.get("Dhcp4").get("subnet4");
    }

    private static ObjectNode subnet(ObjectNode file) {
        return (ObjectNode) subnets(file).get(0);
    }

    private static ObjectNode pool(ObjectNode file, int index) {
        return (ObjectNode) subnet(file).get("pools").get(index);
    }

    private static ObjectNode reservation(ObjectNode file, int index) {
        return (ObjectNode) subnet(file).get("reservations").get(index);
    }

    private static ObjectNode option(ObjectNode file, int index) {
        return (ObjectNode) subnet(file).get("option-data").get(index);
    }

    /** The SQLite store the config names, created (not opened) to see where it keeps its file. */
    private static SqliteLeaseStore sqlite(NodeConfig config) {
        return (SqliteLeaseStore) StoreFiles.of(config);
    }
}
