package dev.dhcpcluster.bootstrap.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dhcpcluster.bootstrap.config.ConfigError;
import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.HostCheck;
import dev.dhcpcluster.core.cluster.ConfigDistribution;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.text.SafeText;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerMessage.ServerConfigOffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's side of {@link ConfigDistribution}: turns the canonical text of a {@code Dhcp4}
 * section into a server configuration with the node file's own code ({@link ConfigLoader#parseDhcp4},
 * {@link HostCheck}), switches the DHCP server to it, and writes the log lines.
 *
 * <h2>The canonical text</h2>
 * {@link #canonicalDhcp4} is what is hashed and distributed: the node file's {@code Dhcp4} section
 * re-serialised as compact JSON with every object's keys sorted, so that whitespace, comments and
 * key order in the file make no difference, while the order of arrays (subnets, pools, options),
 * which means something, is kept. {@code Dhcp4.server-identifier} is left out: it names one node,
 * and stays each node's own, like the {@code node}, {@code transport}, {@code lease-store},
 * {@code admin} and {@code cluster} sections.
 *
 * <h2>What is served</h2>
 * A leader's configuration is served with this node's id, client and relay ports (as after a
 * reload, {@link ConfigChanges#applicable}) and its own file's server identifier. One that does
 * not resolve here, or names an interface this host lacks, is refused with one log line, and the
 * node keeps serving what it served.
 *
 * <h2>Threads</h2>
 * Every method but the static ones runs on the event loop, as the distribution does: the switch
 * happens there, between two datagrams.
 */
public final class LeaderConfig implements ConfigDistribution.Target {

    /**
     * Room in a peer frame for an offer's other fields (its type, sender, epoch, version and hash
     * take under 200 bytes of CBOR): the text may have {@code cluster.max-frame-bytes} less this.
     */
    public static final int OFFER_OVERHEAD_BYTES = 512;

    /** At most this many differences are named in a log line; the rest are counted. */
    static final int MAX_DIFFERENCES = 8;

    private static final Logger LOG = LoggerFactory.getLogger(LeaderConfig.class);
    private static final String SERVER_IDENTIFIER = "server-identifier";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // The node file may carry comments, as Kea's do.
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
            .build();

    /** The DHCP server's configuration, as this class switches it; both methods run on the event loop. */
    public interface Server {

        /** The configuration served now. */
        ServerConfig serving();

        /**
         * Serves {@code next} from now on, keeping every lease.
         *
         * @throws IllegalArgumentException if {@code next} cannot be served; the old one stays
         * @throws IllegalStateException if the node does not run
         */
        void serve(ServerConfig next);
    }

    private final NodeId self;
    private final Server server;
    private final HostCheck host;
    private final ConfigLoader loader = new ConfigLoader();
    private ServerConfig ownFile;

    /**
     * The side of node {@code self}.
     *
     * @param ownFile the server configuration of the node's own file, as loaded at start
     * @param server the DHCP server to switch
     * @param host checks the interfaces a leader's subnets name ({@code new HostCheck()} for this host)
     */
    public LeaderConfig(NodeId self, ServerConfig ownFile, Server server, HostCheck host) {
        this.self = Objects.requireNonNull(self, "self");
        this.ownFile = Objects.requireNonNull(ownFile, "ownFile");
        this.server = Objects.requireNonNull(server, "server");
        this.host = Objects.requireNonNull(host, "host");
    }

    /**
     * The canonical text of a node file's {@code Dhcp4} section: what a node hashes and a leader
     * distributes (see the class comment).
     *
     * @param nodeFile the node file's text, as read (comments allowed)
     * @throws ConfigException if the text is not JSON or has no {@code Dhcp4} object
     */
    public static String canonicalDhcp4(String nodeFile) throws ConfigException {
        JsonNode root;
        try {
            root = JSON.readTree(nodeFile);
        } catch (JsonProcessingException e) {
            throw new ConfigException("(node file)", List.of(new ConfigError("(file)",
                    "not valid JSON: " + e.getOriginalMessage())));
        }
        JsonNode dhcp4 = root == null ? null : root.get("Dhcp4");
        if (dhcp4 == null || !dhcp4.isObject()) {
            throw new ConfigException("(node file)", List.of(new ConfigError("Dhcp4", "missing or not an object")));
        }
        ObjectNode sorted = (ObjectNode) sorted(dhcp4);
        sorted.remove(SERVER_IDENTIFIER);
        try {
            return JSON.writeValueAsString(sorted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree just read did not write", e);
        }
    }

    /** The most bytes of text an offer may carry through frames of at most {@code maxFrameBytes}. */
    public static int maxConfigBytes(int maxFrameBytes) {
        return maxFrameBytes - OFFER_OVERHEAD_BYTES;
    }

    /**
     * The node's own file was loaded again (a reload): its server configuration, before the
     * distribution hears of the change ({@link ConfigDistribution#ownChanged}).
     */
    public void ownLoaded(ServerConfig ownFile) {
        this.ownFile = Objects.requireNonNull(ownFile, "ownFile");
    }

    @Override
    public boolean followLeader(ServerConfigOffer offer, String own) {
        ServerConfig next;
        try {
            next = resolve(offer);
        } catch (ConfigException e) {
            LOG.warn("node {} refused leader node {}'s configuration version {} (sha256 {}): {}; it keeps serving "
                    + "what it served", self.value(), offer.from().value(), offer.label(), shortHash(offer.sha256()),
                    SafeText.inline(e.errors().stream().map(ConfigError::toString).collect(Collectors.joining("; "))));
            return false;
        }
        if (!serve(next, "leader node " + offer.from().value() + "'s configuration version " + offer.label())) {
            return false;
        }
        String differences = differences(own, offer.dhcp4Json());
        if (differences.isEmpty()) {
            LOG.info("node {} follows leader node {}'s configuration version {} (sha256 {}), the same as its own file",
                    self.value(), offer.from().value(), offer.label(), shortHash(offer.sha256()));
        } else {
            LOG.warn("node {} follows leader node {}'s configuration version {} (sha256 {}); its own file differs: {}",
                    self.value(), offer.from().value(), offer.label(), shortHash(offer.sha256()), differences);
        }
        return true;
    }

    @Override
    public boolean serveOwn(String own, Optional<ServerConfigOffer> leaving) {
        ServerConfig serving = server.serving();
        ServerConfig next = ConfigChanges.applicable(serving, ownFile);
        if (!ConfigChanges.describe(serving, next).isEmpty() && !serve(next, "its own file's configuration")) {
            return false;
        }
        leaving.ifPresent(offer -> LOG.info("node {} leads and serves its own file's configuration (sha256 {}) "
                + "instead of node {}'s version {}", self.value(), shortHash(ServerConfigOffer.sha256(own)),
                offer.from().value(), offer.label()));
        return true;
    }

    @Override
    public void ownSetAside(ServerConfigOffer followed, String own) {
        String differences = differences(own, followed.dhcp4Json());
        if (differences.isEmpty()) {
            LOG.info("node {} keeps following leader node {}'s configuration version {} (sha256 {}), the same as its "
                    + "reloaded file", self.value(), followed.from().value(), followed.label(),
                    shortHash(followed.sha256()));
        } else {
            LOG.warn("node {} keeps following leader node {}'s configuration version {} (sha256 {}); its reloaded "
                    + "file differs and is not served: {}", self.value(), followed.from().value(), followed.label(),
                    shortHash(followed.sha256()), differences);
        }
        // What stays local to a node is still the file's.
        ServerConfig serving = server.serving();
        if (!serving.serverIdentifier().equals(ownFile.serverIdentifier())) {
            serve(withLocal(serving, serving), "leader node " + followed.from().value() + "'s configuration version "
                    + followed.label() + " with its own server identifier");
        }
    }

    @Override
    public void tooLarge(long epoch, long version, int bytes, int limit) {
        LOG.warn("node {} cannot offer its configuration version {}.{} to the other nodes: its Dhcp4 section has {} "
                + "bytes, and a peer frame of cluster.max-frame-bytes ({} bytes) carries at most {}; raise "
                + "cluster.max-frame-bytes on every node. The others keep the configuration they serve", self.value(),
                epoch, version, bytes, limit + OFFER_OVERHEAD_BYTES, limit);
    }

    /** The leader's configuration as this node would serve it. */
    private ServerConfig resolve(ServerConfigOffer offer) throws ConfigException {
        String source = "leader node " + offer.from().value() + "'s configuration version " + offer.label();
        ServerConfig leaders = loader.parseDhcp4(offer.dhcp4Json(), self, source);
        host.check(leaders, source);
        return withLocal(server.serving(), leaders);
    }

    /** {@code next} with what stays this node's own: its id, ports and server identifier. */
    private ServerConfig withLocal(ServerConfig serving, ServerConfig next) {
        ServerConfig applicable = ConfigChanges.applicable(serving, next);
        return new ServerConfig(applicable.node(), applicable.subnets(), applicable.options(),
                applicable.clientClasses(), ownFile.serverIdentifier(), applicable.offerHold(),
                applicable.declineProbation(), applicable.maxHops(), applicable.clientPort(), applicable.relayPort());
    }

    private boolean serve(ServerConfig next, String what) {
        try {
            server.serve(next);
            return true;
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.warn("node {} cannot serve {}: {}; it keeps serving what it served", self.value(), what,
                    SafeText.inline(String.valueOf(e.getMessage())));
            return false;
        }
    }

    /**
     * What differs between two canonical {@code Dhcp4} texts, for a log line: the top-level keys
     * whose values differ, then the subnets (by their {@code subnet}) that differ or are in one
     * only; empty if the texts are equal. Quoted text from the leader is escaped.
     */
    static String differences(String own, String leaders) {
        if (own.equals(leaders)) {
            return "";
        }
        JsonNode mine;
        JsonNode theirs;
        try {
            mine = JSON.readTree(own);
            theirs = JSON.readTree(leaders);
        } catch (JsonProcessingException e) {
            return "(not comparable: " + e.getOriginalMessage() + ")";
        }
        List<String> items = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>();
        mine.fieldNames().forEachRemaining(keys::add);
        theirs.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            if (key.equals("subnet4")) {
                continue;
            }
            JsonNode a = mine.get(key);
            JsonNode b = theirs.get(key);
            if (a == null) {
                items.add(key + " only in the leader's");
            } else if (b == null) {
                items.add(key + " only in its own");
            } else if (!a.equals(b)) {
                items.add(key);
            }
        }
        Map<String, JsonNode> ownSubnets = subnets(mine.get("subnet4"));
        Map<String, JsonNode> leaderSubnets = subnets(theirs.get("subnet4"));
        for (Map.Entry<String, JsonNode> entry : leaderSubnets.entrySet()) {
            JsonNode was = ownSubnets.get(entry.getKey());
            if (was == null) {
                items.add("subnet " + entry.getKey() + " only in the leader's");
            } else if (!was.equals(entry.getValue())) {
                items.add("subnet " + entry.getKey());
            }
        }
        for (String subnet : ownSubnets.keySet()) {
            if (!leaderSubnets.containsKey(subnet)) {
                items.add("subnet " + subnet + " only in its own");
            }
        }
        if (items.isEmpty() && !mine.equals(theirs)) {
            items.add("the order of subnet4");
        }
        String named = String.join(", ", items.subList(0, Math.min(items.size(), MAX_DIFFERENCES)));
        if (items.size() > MAX_DIFFERENCES) {
            named += " and " + (items.size() - MAX_DIFFERENCES) + " more";
        }
        return SafeText.inline(named);
    }

    /** The entries of {@code subnet4} by their {@code subnet} text (by position where it has none), in order. */
    private static Map<String, JsonNode> subnets(JsonNode subnet4) {
        Map<String, JsonNode> byPrefix = new LinkedHashMap<>();
        if (subnet4 instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode entry = array.get(i);
                JsonNode prefix = entry.get("subnet");
                byPrefix.putIfAbsent(prefix != null && prefix.isTextual() ? prefix.textValue() : "subnet4[" + i + "]",
                        entry);
            }
        }
        return byPrefix;
    }

    /** A copy of {@code node} with every object's keys in sorted order; arrays keep theirs. */
    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), sorted(field.getValue()));
            }
            ObjectNode copy = JSON.createObjectNode();
            fields.forEach(copy::set);
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return node;
    }

    /** The first 12 hex digits of a hash, enough to tell two configurations apart in a log. */
    static String shortHash(String sha256) {
        return sha256.substring(0, 12) + "..";
    }
}
