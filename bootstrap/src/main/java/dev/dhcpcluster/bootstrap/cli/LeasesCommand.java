package dev.dhcpcluster.bootstrap.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dhcpcluster.bootstrap.admin.AdminClient;
import dev.dhcpcluster.bootstrap.admin.AdminJson;
import dev.dhcpcluster.bootstrap.admin.BadRequest;
import dev.dhcpcluster.bootstrap.admin.LeaseQueries;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.runtime.EventLoop;
import dev.dhcpcluster.core.lease.LeaseQuery;
import dev.dhcpcluster.core.text.SafeText;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.plugin.NodeContext;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dhcpcluster leases}: prints a node's leases. It asks the running node
 * ({@code GET /leases}); when no node answers and a node file is given, it reads the store's file
 * directly, through the same store adapter the node uses, without starting the node.
 */
@Command(name = "leases", mixinStandardHelpOptions = true,
        description = {"Prints a node's leases, one line each, ordered by address: address, state, expiry (UTC), "
            + "hardware address, client, writer (the node that wrote the lease), version (epoch.counter.writer), "
            + "hostname.",
            "Asks the running node at its admin endpoint. When no node answers there and --config is given, reads "
                + "the lease store's file directly instead, without starting the node (and says so on standard "
                + "error); exits 1 if there is no file or it cannot be read."})
final class LeasesCommand implements Callable<Integer> {

    /** The first line printed: the names of the columns. */
    static final String HEADER = "address state expiry hardware-address client writer version hostname";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    AdminTarget target;

    @Option(names = "--address", paramLabel = "ADDRESS", description = "Only the lease of this address.")
    String address;

    @Option(names = "--mac", paramLabel = "MAC", description = "Only leases of this hardware address (02:00:00:00:00:01).")
    String mac;

    @Option(names = "--client-id", paramLabel = "ID",
            description = "Only leases of this client, as the client column prints it (id:01:02:03, hw:01:...), or a "
                    + "client identifier in hex octets.")
    String clientId;

    @Option(names = "--hostname", paramLabel = "NAME", description = "Only leases with this host name (any case).")
    String hostname;

    @Option(names = "--subnet", paramLabel = "CIDR", description = "Only addresses in this subnet (198.18.0.0/16).")
    String subnet;

    @Option(names = "--json", description = "Print {\"leases\": [...]} with the raw values (host names unescaped).")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Map<String, String> filters = filters();
            LeaseQuery query = localQuery(filters);
            Optional<String> where = target.hostPort();
            List<JsonNode> leases = null;
            if (where.isPresent()) {
                AdminClient client = new AdminClient(where.get(), Optional.empty());
                try {
                    leases = fromNode(client, filters);
                } catch (AdminClient.NodeUnreachable e) {
                    if (target.config == null || target.admin != null) {
                        throw new CommandFailure(DhcpclusterCommand.FAILED, e.getMessage());
                    }
                    err.println(e.getMessage() + "; reading the lease store's file instead");
                }
            }
            if (leases == null) {
                leases = fromFile(target.nodeConfig().orElseThrow(), query);
            }
            print(out, leases);
            return 0;
        } catch (CommandFailure e) {
            err.println(e.getMessage());
            return e.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return DhcpclusterCommand.FAILED;
        }
    }

    private Map<String, String> filters() {
        Map<String, String> filters = new LinkedHashMap<>();
        put(filters, "address", address);
        put(filters, "mac", mac);
        put(filters, "client-id", clientId);
        put(filters, "hostname", hostname);
        put(filters, "subnet", subnet);
        return filters;
    }

    private static void put(Map<String, String> filters, String name, String value) {
        if (value != null) {
            filters.put(name, value);
        }
    }

    /** The filters checked here, as the node checks them: a bad one is a usage error naming its option. */
    private static LeaseQuery localQuery(Map<String, String> filters) throws CommandFailure {
        try {
            return LeaseQueries.parse(encode(filters));
        } catch (BadRequest e) {
            throw new CommandFailure(DhcpclusterCommand.USAGE, "--" + e.getMessage());
        }
    }

    private static String encode(Map<String, String> parameters) {
        List<String> pairs = new ArrayList<>();
        parameters.forEach((name, value) -> pairs.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    /** Every matching lease of the running node, page by page. */
    private List<JsonNode> fromNode(AdminClient client, Map<String, String> filters)
            throws AdminClient.NodeUnreachable, InterruptedException, CommandFailure {
        checkNodeIdentity(client);
        List<JsonNode> leases = new ArrayList<>();
        Optional<String> after = Optional.empty();
        do {
            Map<String, String> parameters = new LinkedHashMap<>(filters);
            parameters.put("limit", String.valueOf(LeaseQueries.MAX_LIMIT));
            after.ifPresent(cursor -> parameters.put("after", cursor));
            AdminClient.Response response = client.get("/leases?" + encode(parameters));
            JsonNode page = answer(response);
            page.path("leases").forEach(leases::add);
            JsonNode next = page.path("next");
            after = next.isTextual() ? Optional.of(next.asText()) : Optional.empty();
        } while (after.isPresent());
        return leases;
    }

    /**
     * With {@code --config}, the node that answers must be the one the file describes: another
     * node at the same admin address (a copied file, a second node on the host) must not be taken
     * for it.
     */
    private void checkNodeIdentity(AdminClient client)
            throws AdminClient.NodeUnreachable, InterruptedException, CommandFailure {
        Optional<NodeConfig> node = target.admin == null ? target.nodeConfig() : Optional.empty();
        if (node.isEmpty()) {
            return;
        }
        JsonNode status = answer(client.get("/status"));
        int id = status.path("node").asInt(-1);
        if (id != node.get().node().value()) {
            throw new CommandFailure(DhcpclusterCommand.FAILED, "the node answering at " + client.url() + " is node "
                    + id + ", not node " + node.get().node().value() + " of " + target.config);
        }
    }

    private static JsonNode answer(AdminClient.Response response) throws CommandFailure {
        if (!response.ok()) {
            throw new CommandFailure(response.status() == 400 ? DhcpclusterCommand.USAGE : DhcpclusterCommand.FAILED,
                    "the node answered " + response.status() + ": " + SafeText.inline(response.error()));
        }
        try {
            return response.json();
        } catch (JsonProcessingException e) {
            throw new CommandFailure(DhcpclusterCommand.FAILED, "the node's answer is not JSON: "
                    + e.getOriginalMessage());
        }
    }

    /** Today's way: the store's file, read without the node. */
    private static List<JsonNode> fromFile(NodeConfig node, LeaseQuery query) throws CommandFailure {
        String type = node.leaseStore().type();
        // Nothing runs on this loop: the store only reads the time from it while it loads.
        EventLoop idle = new EventLoop("leases-reader");
        List<Lease> leases = new ArrayList<>();
        try (LeaseStore store = node.leaseStore().factory().create(new NodeContext(node.node(), node.dataDirectory(),
                idle, idle, ClusterEvents.NONE))) {
            if (!store.mediumExists()) {
                // Opening a store creates its file; reading must not.
                throw new CommandFailure(DhcpclusterCommand.FAILED, "nothing to read in the " + type + " lease store ("
                        + store.describe() + "): the node has not run with it yet, or the store keeps its leases only "
                        + "inside the running node");
            }
            // Streamed, keeping only what the query selects: a store of a million leases is read
            // without holding every one of them when only a few are asked for.
            store.loadEach(lease -> {
                if (query.selects(lease)) {
                    leases.add(lease);
                }
            });
        } catch (LeaseStoreException e) {
            // The store's message names the file and says what is wrong (or that a running node holds it).
            throw new CommandFailure(DhcpclusterCommand.FAILED, "lease store: " + e.getMessage());
        }
        return leases.stream().sorted(Comparator.comparing(Lease::address))
                .map(lease -> (JsonNode) AdminJson.lease(lease)).toList();
    }

    private void print(PrintWriter out, List<JsonNode> leases) {
        if (json) {
            ObjectNode document = AdminJson.MAPPER.createObjectNode();
            ArrayNode array = document.putArray("leases");
            leases.forEach(array::add);
            try {
                out.println(AdminJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.println(HEADER);
            leases.stream().map(LeasesCommand::line).forEach(out::println);
        }
        out.flush();
    }

    /**
     * One lease as printed: fields separated by one space. The host name came from a client, so it
     * is escaped ({@link SafeText#field}): a space, a newline or an escape sequence in it cannot
     * split the line or add one.
     */
    static String line(Lease lease) {
        return line(AdminJson.lease(lease));
    }

    /** One lease, given as the admin endpoint's JSON, as printed. */
    static String line(JsonNode lease) {
        JsonNode hostname = lease.path("hostname");
        return SafeText.field(lease.path("address").asText()) + " " + SafeText.field(lease.path("state").asText())
                + " " + SafeText.field(lease.path("expiry").asText()) + " "
                + SafeText.field(lease.path("hardware-address").asText()) + " "
                + SafeText.field(lease.path("client").asText()) + " " + lease.path("writer").asText() + " "
                + SafeText.field(lease.path("version").asText()) + " "
                + (hostname.isTextual() ? SafeText.field(hostname.asText()) : "-");
    }
}
