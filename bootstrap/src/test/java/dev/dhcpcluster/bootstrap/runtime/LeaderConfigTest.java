package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.HostCheck;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerMessage.ServerConfigOffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A follower's side of the leader's configuration: the canonical text, resolving, serving and the log lines. */
class LeaderConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLE = Path.of("..", "examples", "node.json");
    private static final NodeId TWO = new NodeId(2);
    private static final NodeId THREE = new NodeId(3);
    /** The example's interfaces, as if this host had them. */
    private static final HostCheck HOST = new HostCheck(Set.of("eth0", "eth1")::contains);

    private final Logger logger = (Logger) LoggerFactory.getLogger(LeaderConfig.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    /** The DHCP server as the test sees it: what it serves, and whether it refuses the next. */
    private static final class FakeServer implements LeaderConfig.Server {
        ServerConfig serving;
        boolean refuse;

        FakeServer(ServerConfig serving) {
            this.serving = serving;
        }

        @Override
        public ServerConfig serving() {
            return serving;
        }

        @Override
        public void serve(ServerConfig next) {
            if (refuse) {
                throw new IllegalArgumentException("two reservations of 198.18.0.10");
            }
            serving = next;
        }
    }

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    private static ObjectNode example(Consumer<ObjectNode> mutation) {
        try {
            ObjectNode file = (ObjectNode) JSON.readTree(EXAMPLE.toFile());
            ((ObjectNode) file.get("node")).put("id", 2);
            mutation.accept(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode dhcp4(ObjectNode file) {
        return (ObjectNode) file.get("Dhcp4");
    }

    private static String text(ObjectNode file) {
        try {
            return JSON.writeValueAsString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServerConfig server(ObjectNode file) throws ConfigException {
        return new ConfigLoader().parse(text(file), "test").server();
    }

    private static ServerConfigOffer offer(ObjectNode leadersFile) throws ConfigException {
        String canonical = LeaderConfig.canonicalDhcp4(text(leadersFile));
        return new ServerConfigOffer(THREE, 4, 1, ServerConfigOffer.sha256(canonical), canonical);
    }

    private List<String> lines(Level level) {
        return appender.list.stream().filter(event -> event.getLevel() == level)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    // ---- the canonical text ----

    @Test
    @DisplayName("the canonical text ignores whitespace, comments and key order, and keeps the order of arrays")
    void canonicalTextIgnoresLayout() throws Exception {
        String file = Files.readString(EXAMPLE);
        String reformatted = "// a comment\n" + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                reversed((ObjectNode) JSON.readTree(file)));

        assertEquals(LeaderConfig.canonicalDhcp4(file), LeaderConfig.canonicalDhcp4(reformatted));
        String canonical = LeaderConfig.canonicalDhcp4(file);
        assertTrue(canonical.startsWith("{\"authoritative\":false,\"client-classes\":["), canonical);
        assertTrue(canonical.indexOf("198.18.0.0/16") < canonical.indexOf("198.19.0.0/24"), canonical);
        assertNotEquals(canonical, LeaderConfig.canonicalDhcp4(text(example(f -> dhcp4(f).put("max-hops", 8)))));
    }

    @Test
    @DisplayName("the canonical text holds only Dhcp4, and not its server-identifier, which stays each node's own")
    void canonicalTextLeavesLocalSettingsOut() throws Exception {
        String canonical = LeaderConfig.canonicalDhcp4(text(example(f -> { })));

        assertFalse(canonical.contains("server-identifier"), canonical);
        assertEquals(canonical, LeaderConfig.canonicalDhcp4(text(example(f -> {
            dhcp4(f).put("server-identifier", "198.18.0.3");
            ((ObjectNode) f.get("node")).put("id", 3);
            ((ObjectNode) f.get("transport")).put("interface", "eth7");
        }))));
    }

    @Test
    @DisplayName("a node file without a Dhcp4 object has no canonical text")
    void noDhcp4NoCanonicalText() {
        ConfigException e = assertThrows(ConfigException.class, () -> LeaderConfig.canonicalDhcp4("{\"node\":{}}"));
        assertEquals("Dhcp4", e.errors().get(0).path());
    }

    @Test
    @DisplayName("an offer's text leaves room in a frame for the offer's other fields")
    void maxConfigBytesLeavesRoom() {
        assertEquals((1 << 20) - LeaderConfig.OFFER_OVERHEAD_BYTES, LeaderConfig.maxConfigBytes(1 << 20));
    }

    // ---- following the leader ----

    @Test
    @DisplayName("a follower serves the leader's configuration with its own id, ports and server identifier, and says how its file differs in one line")
    void aFollowerServesTheLeadersConfiguration() throws Exception {
        ObjectNode own = example(f -> { });
        ObjectNode leaders = example(f -> {
            dhcp4(f).put("max-hops", 8).put("server-identifier", "198.18.0.3");
            ((com.fasterxml.jackson.databind.node.ArrayNode) dhcp4(f).get("subnet4")).remove(1);
        });
        FakeServer server = new FakeServer(server(own));
        LeaderConfig config = new LeaderConfig(TWO, server(own), server, HOST);
        ServerConfigOffer offer = offer(leaders);

        assertTrue(config.followLeader(offer, LeaderConfig.canonicalDhcp4(text(own))));

        assertEquals(8, server.serving.maxHops());
        assertEquals(1, server.serving.subnets().size());
        assertEquals(TWO, server.serving.node());
        assertEquals(Optional.of(Ipv4Address.parse("198.18.0.2")), server.serving.serverIdentifier());
        assertEquals(List.of("node 2 follows leader node 3's configuration version 4.1 (sha256 "
                + offer.sha256().substring(0, 12) + "..); its own file differs: max-hops, "
                + "subnet 198.19.0.0/24 only in its own"), lines(Level.WARN));
    }

    @Test
    @DisplayName("a leader's configuration the same as the follower's file is said so, at INFO")
    void theSameConfigurationIsSaidSo() throws Exception {
        ObjectNode own = example(f -> { });
        FakeServer server = new FakeServer(server(example(f -> dhcp4(f).put("max-hops", 3))));
        LeaderConfig config = new LeaderConfig(TWO, server(own), server, HOST);

        assertTrue(config.followLeader(offer(own), LeaderConfig.canonicalDhcp4(text(own))));

        assertEquals(16, server.serving.maxHops());
        assertTrue(lines(Level.WARN).isEmpty());
        assertTrue(lines(Level.INFO).get(0).endsWith("the same as its own file"), lines(Level.INFO).toString());
    }

    @Test
    @DisplayName("a leader's configuration that does not resolve here is refused, naming the field, and nothing changes")
    void anInvalidConfigurationIsRefused() throws Exception {
        ObjectNode own = example(f -> { });
        ServerConfig before = server(own);
        FakeServer server = new FakeServer(before);
        LeaderConfig config = new LeaderConfig(TWO, before, server, HOST);
        String canonical = "{\"subnet4\":[],\"surprise\":1}";

        assertFalse(config.followLeader(new ServerConfigOffer(THREE, 4, 2, ServerConfigOffer.sha256(canonical),
                canonical), LeaderConfig.canonicalDhcp4(text(own))));

        assertSame(before, server.serving);
        List<String> warnings = lines(Level.WARN);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("node 2 refused leader node 3's configuration version 4.2 (sha256 "),
                warnings.get(0));
        assertTrue(warnings.get(0).contains("Dhcp4.surprise: unknown field"), warnings.get(0));
    }

    @Test
    @DisplayName("a Dhcp4 section alone is read as strictly as in a node file, its errors naming their path from Dhcp4")
    void aSectionAloneIsReadStrictly() throws Exception {
        String subnets = "\"subnet4\":[{\"subnet\":\"198.18.0.0/24\",\"pools\":[{\"pool\":\"198.18.0.10 - 198.18.0.99\"}]}]";
        ConfigLoader loader = new ConfigLoader();

        assertEquals(8, loader.parseDhcp4("{\"max-hops\":8," + subnets + "}", TWO, "test").maxHops());
        assertEquals(TWO, loader.parseDhcp4("{" + subnets + "}", TWO, "test").node());
        assertEquals("Dhcp4.max-hops", assertThrows(ConfigException.class,
                () -> loader.parseDhcp4("{\"max-hops\":\"8\"," + subnets + "}", TWO, "test")).errors().get(0).path());
        assertTrue(assertThrows(ConfigException.class,
                () -> loader.parseDhcp4("{\"max-hops\":8,\"max-hops\":9," + subnets + "}", TWO, "test"))
                .errors().get(0).message().contains("max-hops"));
        assertEquals("Dhcp4", assertThrows(ConfigException.class,
                () -> loader.parseDhcp4("[1]", TWO, "test")).errors().get(0).path());
        assertEquals("Dhcp4.subnet4[0].pools[0].pool", assertThrows(ConfigException.class,
                () -> loader.parseDhcp4("{\"subnet4\":[{\"subnet\":\"198.18.0.0/24\",\"pools\":[{\"pool\":"
                        + "\"198.18.1.10 - 198.18.1.99\"}]}]}", TWO, "test")).errors().get(0).path());
    }

    @Test
    @DisplayName("a leader's subnet on an interface this host lacks is refused, naming the field")
    void aMissingInterfaceIsRefused() throws Exception {
        ObjectNode own = example(f -> { });
        ServerConfig before = server(own);
        FakeServer server = new FakeServer(before);
        LeaderConfig config = new LeaderConfig(TWO, before, server, new HostCheck(Set.of("eth0")::contains));

        assertFalse(config.followLeader(offer(example(f -> dhcp4(f).put("max-hops", 8))),
                LeaderConfig.canonicalDhcp4(text(own))));

        assertSame(before, server.serving);
        assertTrue(lines(Level.WARN).get(0).contains("Dhcp4.subnet4[1].interface: \"eth1\" does not exist on this host"),
                lines(Level.WARN).toString());
    }

    @Test
    @DisplayName("a configuration the DHCP server cannot serve is refused, and the server keeps its own")
    void aConfigurationTheServerRefusesIsRefused() throws Exception {
        ObjectNode own = example(f -> { });
        ServerConfig before = server(own);
        FakeServer server = new FakeServer(before);
        server.refuse = true;
        LeaderConfig config = new LeaderConfig(TWO, before, server, HOST);

        assertFalse(config.followLeader(offer(example(f -> dhcp4(f).put("max-hops", 8))),
                LeaderConfig.canonicalDhcp4(text(own))));

        assertSame(before, server.serving);
        assertTrue(lines(Level.WARN).get(0).contains("two reservations of 198.18.0.10"), lines(Level.WARN).toString());
    }

    @Test
    @DisplayName("a node that starts leading goes back to its own file's configuration, and says whose it leaves")
    void aLeaderServesItsOwnFileAgain() throws Exception {
        ObjectNode own = example(f -> { });
        FakeServer server = new FakeServer(server(own));
        LeaderConfig config = new LeaderConfig(TWO, server(own), server, HOST);
        ServerConfigOffer offer = offer(example(f -> dhcp4(f).put("max-hops", 8)));
        config.followLeader(offer, LeaderConfig.canonicalDhcp4(text(own)));

        assertTrue(config.serveOwn(LeaderConfig.canonicalDhcp4(text(own)), Optional.of(offer)));

        assertEquals(server(own), server.serving);
        assertTrue(lines(Level.INFO).get(0).contains("leads and serves its own file's configuration"),
                lines(Level.INFO).toString());
        assertTrue(lines(Level.INFO).get(0).endsWith("instead of node 3's version 4.1"), lines(Level.INFO).toString());
    }

    @Test
    @DisplayName("a reloaded file set aside is said to differ, and its own server identifier still takes effect")
    void aReloadSetAsideKeepsLocalSettings() throws Exception {
        ObjectNode own = example(f -> { });
        FakeServer server = new FakeServer(server(own));
        LeaderConfig config = new LeaderConfig(TWO, server(own), server, HOST);
        ServerConfigOffer offer = offer(example(f -> dhcp4(f).put("max-hops", 8)));
        config.followLeader(offer, LeaderConfig.canonicalDhcp4(text(own)));
        appender.list.clear();

        ObjectNode reloaded = example(f -> dhcp4(f).put("server-identifier", "198.18.0.9").put("valid-lifetime", 4000));
        config.ownLoaded(server(reloaded));
        config.ownSetAside(offer, LeaderConfig.canonicalDhcp4(text(reloaded)));

        assertEquals(8, server.serving.maxHops());
        assertEquals(Optional.of(Ipv4Address.parse("198.18.0.9")), server.serving.serverIdentifier());
        assertEquals(List.of("node 2 keeps following leader node 3's configuration version 4.1 (sha256 "
                + offer.sha256().substring(0, 12) + ".."
                + "); its reloaded file differs and is not served: max-hops, valid-lifetime"), lines(Level.WARN));
    }

    @Test
    @DisplayName("a configuration too large for a frame is one line that names cluster.max-frame-bytes")
    void tooLargeNamesTheSetting() throws Exception {
        ObjectNode own = example(f -> { });
        LeaderConfig config = new LeaderConfig(THREE, server(own), new FakeServer(server(own)), HOST);

        config.tooLarge(4, 2, 2_000_000, LeaderConfig.maxConfigBytes(1 << 20));

        List<String> warnings = lines(Level.WARN);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("node 3 cannot offer its configuration version 4.2"), warnings.get(0));
        assertTrue(warnings.get(0).contains("2000000 bytes, and a peer frame of cluster.max-frame-bytes (1048576 bytes)"),
                warnings.get(0));
    }

    @Test
    @DisplayName("the differences name keys in one text only, changed subnets, and escape what the leader wrote")
    void differencesAreShortAndEscaped() {
        assertEquals("", LeaderConfig.differences("{\"a\":1}", "{\"a\":1}"));
        assertEquals("a only in its own, b only in the leader's, c, subnet 198.18.0.0/24, "
                + "subnet x\\ny only in the leader's",
                LeaderConfig.differences(
                        "{\"a\":1,\"c\":1,\"subnet4\":[{\"subnet\":\"198.18.0.0/24\",\"id\":1}]}",
                        "{\"b\":1,\"c\":2,\"subnet4\":[{\"subnet\":\"198.18.0.0/24\",\"id\":2},{\"subnet\":\"x\\ny\"}]}"));
    }

    /** {@code node} with every object's keys in reverse order. */
    private static ObjectNode reversed(ObjectNode node) {
        ObjectNode copy = JSON.createObjectNode();
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        java.util.Collections.reverse(names);
        for (String name : names) {
            var value = node.get(name);
            copy.set(name, value instanceof ObjectNode object ? reversed(object) : value);
        }
        return copy;
    }
}
