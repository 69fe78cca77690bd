package dev.dhcpcluster.core.relay;

import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Which servers get one request: the relay's load balancing over the cluster. The rules, in order:
 * <ol>
 *   <li><b>Overrides.</b> A pin for the client's hardware address, else for the circuit-id of the
 *       option 82 the request carries, sends the request to that server alone. A pin to a server
 *       outside the cluster (one with no node) always holds: the operator chose that server. A pin
 *       to a node yields to the rules below when the cluster picture knows the node to be dead, and
 *       for a retransmission (rule 5): a node answers only the clients of the buckets it holds, so a
 *       node pinned for a client whose bucket is another's stays silent, and a pinned client with
 *       no answer at all is worse off than one served by another node.</li>
 *   <li><b>Never reached.</b> A relay that has never heard from the cluster (or serves no
 *       cluster) knows no owner and no failure: every configured server gets the request, as from
 *       a plain relay.</li>
 *   <li><b>Owner.</b> The client's RFC 3074 bucket (option 61's value when present and not empty,
 *       else {@code chaddr}'s {@code hlen} octets), as the nodes compute it, has a live owner in the
 *       newest assignment: that node's server alone, so the other nodes never see the request.</li>
 *   <li><b>No owner known.</b> Every live node's server, in configured order; if no node is alive,
 *       every configured server, since then any of them may be the one that comes back first.</li>
 *   <li><b>Retransmission.</b> A request with the same hardware address, {@code xid} and message
 *       type as one forwarded to fewer than all live nodes within the last
 *       {@value #RETRANSMISSION_WINDOW_SECONDS} s goes to every live node: the client is asking
 *       again, so the owner the relay believed in did not answer (it may be starting, drained, or
 *       its pool exhausted), and any node that can answer should. The message type is part of the
 *       key because a client sends its DHCPREQUEST with the DISCOVER's {@code xid} (RFC 2131
 *       §4.4.1), and that is no retransmission.</li>
 * </ol>
 * Targets always keep the configured order of the servers, without duplicates. The memory of
 * recent forwards is bounded ({@value #DEFAULT_MEMORY} entries by default, the oldest evicted
 * first) so that a flood of made-up hardware addresses cannot grow it.
 *
 * <p>Reads the request's octets in place through the framing the agent uses; never decodes it.
 * Stateful, not thread-safe: one event loop owns it.
 */
public final class RelayRoutes {

    /** How long a forward is remembered to recognise the client's retransmission of it. */
    public static final long RETRANSMISSION_WINDOW_SECONDS = 10;
    /** How many forwards are remembered by default. */
    public static final int DEFAULT_MEMORY = 65_536;

    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(RETRANSMISSION_WINDOW_SECONDS);

    private final List<RelayServer> servers;
    private final RelayOverrides overrides;
    private final int memoryLimit;
    /** Each configured node's servers, in configured order. */
    private final Map<NodeId, List<RelayServer>> byNode = new HashMap<>();
    /** Each configured server as a list of one, so that a pinned request allocates no list. */
    private final Map<RelayServer, List<RelayServer>> alone = new HashMap<>();
    /** The last picture asked about, and its live nodes' servers. */
    private ClusterPicture lastPicture;
    private List<RelayServer> liveServers = List.of();
    /** Recent forwards by client and transaction, oldest first. */
    private final LinkedHashMap<Transaction, Forward> recent = new LinkedHashMap<>();

    /** What the relay remembers of one client's transaction. */
    private record Transaction(long chaddrHigh, long chaddrLow, int htypeHlen, int xid, int messageType) {
    }

    /** When it was last forwarded, and whether some forward of it reached fewer than all live nodes. */
    private static final class Forward {
        long lastNanos;
        boolean partial;
    }

    /**
     * Routes over {@code servers} with the {@code overrides} pins, remembering
     * {@value #DEFAULT_MEMORY} forwards.
     *
     * @throws IllegalArgumentException if {@code servers} is empty, lists one address twice, or a
     *     pin names a server that is not among them
     */
    public RelayRoutes(List<RelayServer> servers, RelayOverrides overrides) {
        this(servers, overrides, DEFAULT_MEMORY);
    }

    /**
     * Routes remembering at most {@code memory} forwards.
     *
     * @throws IllegalArgumentException as {@link #RelayRoutes(List, RelayOverrides)}, or if
     *     {@code memory} is not positive
     */
    public RelayRoutes(List<RelayServer> servers, RelayOverrides overrides, int memory) {
        this.servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        if (this.servers.isEmpty()) {
            throw new IllegalArgumentException("a relay needs at least one server");
        }
        if (memory < 1) {
            throw new IllegalArgumentException("the relay remembers at least one forward, not " + memory);
        }
        this.memoryLimit = memory;
        Set<Ipv4Address> addresses = new HashSet<>();
        Map<NodeId, List<RelayServer>> collected = new HashMap<>();
        for (RelayServer server : this.servers) {
            if (!addresses.add(server.address())) {
                throw new IllegalArgumentException("server " + server.address() + " is listed twice");
            }
            alone.put(server, List.of(server));
            server.node().ifPresent(node -> collected.computeIfAbsent(node, n -> new ArrayList<>()).add(server));
        }
        collected.forEach((node, list) -> byNode.put(node, List.copyOf(list)));
        for (RelayServer pinned : overrides.byMac().values()) {
            checkConfigured(pinned);
        }
        for (RelayServer pinned : overrides.byCircuitId().values()) {
            checkConfigured(pinned);
        }
    }

    private void checkConfigured(RelayServer pinned) {
        if (!alone.containsKey(pinned)) {
            throw new IllegalArgumentException("a client is pinned to " + pinned + ", which is not a configured server");
        }
    }

    /** The configured servers, in order. */
    public List<RelayServer> servers() {
        return servers;
    }

    /** The pins. */
    public RelayOverrides overrides() {
        return overrides;
    }

    /**
     * The servers that get {@code request}, in configured order, never empty.
     *
     * @param request the packet as forwarded (after {@link RelayAgent#fromClient}), so well formed
     * @param picture what the relay knows of the cluster now
     * @param nowNanos the relay's monotonic clock now
     * @throws IllegalArgumentException if {@code request} is not a well-formed DHCP message
     */
    public List<RelayServer> targets(byte[] request, ClusterPicture picture, long nowNanos) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(picture, "picture");
        Framing framing = Framing.read(request);
        if (framing == null) {
            throw new IllegalArgumentException("not a well-formed DHCP message: the relay agent forwards none such");
        }
        // 1. Overrides: a pin to a server outside the cluster holds whatever happens.
        RelayServer pinned = pinned(request, framing);
        if (pinned != null && pinned.node().isEmpty()) {
            return alone.get(pinned);
        }
        // 2. Never reached the cluster: no node is known dead, no owner known.
        if (!picture.reached()) {
            return pinned != null ? alone.get(pinned) : servers;
        }
        List<RelayServer> live = liveServers(picture);
        List<RelayServer> everyLive = live.isEmpty() ? servers : live;
        forget(nowNanos);
        Transaction transaction = transactionOf(request, framing);
        Forward earlier = recent.remove(transaction);
        // 5. A retransmission of a forward that reached fewer than all live nodes.
        boolean retransmission = earlier != null && earlier.partial && nowNanos - earlier.lastNanos <= WINDOW_NANOS;
        List<RelayServer> targets;
        if (retransmission) {
            targets = everyLive;
        } else if (pinned != null && picture.isLive(pinned.node().get())) {
            // 1. The pinned node, while it lives; its silence makes the next try a retransmission.
            targets = alone.get(pinned);
        } else {
            // 3. The bucket's live owner, else 4. every live node.
            Optional<NodeId> owner = picture.ownerOf(framing.bucket(request));
            List<RelayServer> owners = owner.isPresent() ? byNode.get(owner.get()) : null;
            targets = owners != null ? owners : everyLive;
        }
        Forward forward = earlier != null && nowNanos - earlier.lastNanos <= WINDOW_NANOS ? earlier : new Forward();
        forward.lastNanos = nowNanos;
        forward.partial |= targets.size() < everyLive.size();
        remember(transaction, forward);
        return targets;
    }

    /** The server a pin names for this request: by hardware address, else by circuit-id. */
    private RelayServer pinned(byte[] request, Framing framing) {
        if (overrides.isEmpty()) {
            return null;
        }
        if (!overrides.byMac().isEmpty()) {
            int hlen = Framing.hlen(request);
            RelayServer server = overrides.byMac().get(HardwareAddress.of(Framing.htype(request),
                    Arrays.copyOfRange(request, Framing.CHADDR, Framing.CHADDR + hlen)));
            if (server != null) {
                return server;
            }
        }
        if (!overrides.byCircuitId().isEmpty()) {
            byte[] circuitId = framing.circuitId(request);
            if (circuitId != null) {
                return overrides.byCircuitId().get(Octets.of(circuitId));
            }
        }
        return null;
    }

    /** The servers of the picture's live nodes, in configured order, computed once per picture. */
    private List<RelayServer> liveServers(ClusterPicture picture) {
        if (picture != lastPicture) {
            List<RelayServer> live = new ArrayList<>();
            for (RelayServer server : servers) {
                if (server.node().isPresent() && picture.isLive(server.node().get())) {
                    live.add(server);
                }
            }
            liveServers = live.size() == servers.size() ? servers : List.copyOf(live);
            lastPicture = picture;
        }
        return liveServers;
    }

    private static Transaction transactionOf(byte[] request, Framing framing) {
        int hlen = Framing.hlen(request);
        long high = 0;
        long low = 0;
        for (int i = 0; i < hlen; i++) {
            long octet = request[Framing.CHADDR + i] & 0xFFL;
            if (i < 8) {
                high = high << 8 | octet;
            } else {
                low = low << 8 | octet;
            }
        }
        return new Transaction(high, low, Framing.htype(request) << 8 | hlen,
                Framing.int32(request, Framing.XID), framing.messageType);
    }

    /** Drops the remembered forwards older than the window: they can no longer make a retransmission. */
    private void forget(long nowNanos) {
        Iterator<Forward> oldest = recent.values().iterator();
        while (oldest.hasNext()) {
            if (nowNanos - oldest.next().lastNanos <= WINDOW_NANOS) {
                return;
            }
            oldest.remove();
        }
    }

    private void remember(Transaction transaction, Forward forward) {
        recent.put(transaction, forward);
        if (recent.size() > memoryLimit) {
            Iterator<Transaction> oldest = recent.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** How many forwards are remembered now (for tests of the bound). */
    int remembered() {
        return recent.size();
    }
}
