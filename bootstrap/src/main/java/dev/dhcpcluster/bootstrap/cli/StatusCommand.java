package dev.dhcpcluster.bootstrap.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dhcpcluster.bootstrap.admin.AdminClient;
import dev.dhcpcluster.core.text.SafeText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dhcpcluster status}: asks a running node how it is ({@code GET /status}) and prints it. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Asks a running node (or relay) for its status through its admin endpoint and prints it as a table: "
            + "node, version, uptime, transport, store, cluster, traffic, and each subnet's total, free, offered, "
            + "bound and declined addresses; then the relay that runs in the node's process, if any.",
            "Exits 1 if no node answers."})
final class StatusCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    AdminTarget target;

    @Option(names = "--json", description = "Print the node's JSON answer as it is.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            AdminClient client = target.client(Optional.empty());
            AdminClient.Response response = Requests.send(() -> client.get("/status"));
            if (!response.ok()) {
                throw new CommandFailure(DhcpclusterCommand.FAILED, "the node answered " + response.status() + ": "
                        + SafeText.inline(response.error()));
            }
            if (json) {
                out.print(response.body());
            } else {
                table(response.json()).forEach(out::println);
            }
            out.flush();
            return 0;
        } catch (CommandFailure e) {
            err.println(e.getMessage());
            return e.exitCode();
        } catch (JsonProcessingException e) {
            err.println("the node's answer is not JSON: " + e.getOriginalMessage());
            return DhcpclusterCommand.FAILED;
        }
    }

    /** The status as readable lines. Text from the node is escaped: it may carry client-chosen names. */
    static List<String> table(JsonNode status) {
        if ("relay".equals(status.path("role").asText())) {
            return relayTable(status);
        }
        List<String> lines = new ArrayList<>();
        lines.add("node       " + status.path("node").asText() + " (dhcpcluster " + text(status, "version") + ")");
        lines.add("uptime     " + uptime(status.path("uptime-seconds").asLong()) + " (since "
                + text(status, "started") + ")");
        lines.add("transport  " + text(status.path("transport"), "endpoint"));
        JsonNode store = status.path("store");
        lines.add("store      " + text(store, "description") + ": " + store.path("commits").asLong() + " commits, "
                + store.path("changes-committed").asLong() + " changes, " + String.format(Locale.ROOT,
                        "%.1f ms average commit", store.path("commit-latency-average-seconds").asDouble() * 1000)
                + ", " + store.path("failures").asLong() + " failed");
        JsonNode cluster = status.path("cluster");
        if ("cluster".equals(cluster.path("mode").asText())) {
            cluster(cluster, lines);
        } else {
            List<String> members = new ArrayList<>();
            cluster.path("members").forEach(member -> members.add(member.asText()));
            lines.add("cluster    " + text(cluster, "mode") + ", leader " + cluster.path("leader").asText()
                    + ", members " + String.join(" ", members));
        }
        JsonNode traffic = status.path("traffic");
        lines.add("traffic    received " + counts(traffic.path("received")) + "; sent " + counts(traffic.path("sent"))
                + "; dropped " + counts(traffic.path("dropped")));
        lines.add("");
        String format = "%-20s %9s %9s %9s %9s %9s";
        lines.add(String.format(Locale.ROOT, format, "subnet", "total", "free", "offered", "bound", "declined"));
        for (JsonNode pool : status.path("pools")) {
            lines.add(String.format(Locale.ROOT, format, text(pool, "subnet"), pool.path("total").asText(),
                    pool.path("free").asText(), pool.path("offered").asText(), pool.path("bound").asText(),
                    pool.path("declined").asText()));
        }
        JsonNode relay = status.path("relay");
        if (relay.isObject()) {
            // The relay that runs in the node's process.
            lines.add("");
            lines.addAll(relayTable(relay));
        }
        return lines;
    }

    /**
     * {@code cluster    "lab": this node is leader; leader 3, epoch 4; majority 2 of 3, present} and
     * a line per member: its address, whether it is connected and alive, when it was last heard, the
     * round trip, and the epoch and leader it reports.
     */
    private static void cluster(JsonNode cluster, List<String> lines) {
        JsonNode leader = cluster.path("leader");
        lines.add("cluster    \"" + text(cluster, "name") + "\": this node is " + text(cluster, "role") + "; leader "
                + (leader.isNull() || leader.isMissingNode() ? "none" : leader.asText()) + ", epoch "
                + cluster.path("epoch").asLong() + "; majority " + cluster.path("majority").asInt() + " of "
                + cluster.path("members").size() + ", " + (cluster.path("majority-present").asBoolean() ? "present"
                        : "NOT present") + "; " + cluster.path("elections-started").asLong() + " elections started");
        for (JsonNode member : cluster.path("members")) {
            String state;
            if (member.path("self").asBoolean()) {
                state = "this node";
            } else {
                JsonNode heard = member.path("last-heard-ms");
                JsonNode rtt = member.path("rtt-ms");
                state = (member.path("connected").asBoolean() ? "connected" : "not connected") + ", "
                        + (member.path("alive").asBoolean() ? "alive" : "silent") + ", "
                        + (heard.isNumber() ? "heard " + heard.asLong() + " ms ago" : "never heard") + ", "
                        + (rtt.isNumber() ? String.format(Locale.ROOT, "rtt %.2f ms", rtt.asDouble()) : "rtt unknown")
                        + ", epoch " + member.path("epoch").asLong() + ", leader "
                        + (member.path("leader").isNumber() ? member.path("leader").asText() : "none");
            }
            if (member.has("assigned-blocks")) {
                state += "; assigned " + member.path("assigned-blocks").asInt() + " blocks, "
                        + member.path("assigned-buckets").asInt() + " buckets";
            }
            lines.add(String.format(Locale.ROOT, "  member %-4s %-21s %s", member.path("id").asText(),
                    text(member, "address"), state));
        }
        JsonNode space = cluster.path("address-space");
        if (space.isObject()) {
            List<String> blocks = new ArrayList<>();
            space.path("blocks").forEach(block -> blocks.add(SafeText.inline(block.asText())));
            lines.add("holds      " + (space.path("grant-current").asBoolean() ? "" : "no current grant; ")
                    + blocks.size() + " blocks" + (blocks.isEmpty() ? "" : " (" + String.join(", ", blocks) + ")")
                    + ", " + space.path("buckets").asInt() + " buckets, " + space.path("free-addresses").asLong()
                    + " free addresses; assignment " + text(space, "assignment"));
            lines.add("replicate  " + space.path("replicating").asInt() + " changes waiting for a majority"
                    + (space.path("recovering").asBoolean() ? "; RECOVERING: lost its store, acknowledges no change"
                            : ""));
        }
    }

    /** A relay's status ({@code dhcpcluster relay}'s {@code /status}) as readable lines. */
    static List<String> relayTable(JsonNode status) {
        List<String> lines = new ArrayList<>();
        lines.add("relay      " + text(status, "name") + " on " + text(status, "transport"));
        for (JsonNode face : status.path("interfaces")) {
            lines.add("interface  " + text(face, "name") + " " + text(face, "address")
                    + (face.path("trusted").asBoolean() ? " (trusted)" : ""));
        }
        JsonNode cluster = status.path("cluster");
        if (!cluster.isObject()) {
            lines.add("cluster    none: every request goes to every server");
        } else if (!cluster.path("reached").asBoolean()) {
            lines.add("cluster    \"" + text(cluster, "name") + "\": never reached; every request goes to every server");
        } else {
            lines.add("cluster    \"" + text(cluster, "name") + "\": assignment " + text(cluster, "assignment"));
        }
        for (JsonNode server : status.path("servers")) {
            String state = server.path("node").isNumber() ? "node " + server.path("node").asText() + ", " : "";
            if (server.path("up").isBoolean()) {
                state += (server.path("up").asBoolean() ? "up" : "DOWN") + ", ";
            }
            if (server.path("round-trip-ms").isNumber()) {
                state += String.format(Locale.ROOT, "rtt %.2f ms, ", server.path("round-trip-ms").asDouble());
            }
            lines.add(String.format(Locale.ROOT, "server     %-15s %ssent %d", text(server, "address"), state,
                    server.path("sent").asLong()));
        }
        List<String> dropped = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = status.path("dropped").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue().asLong() > 0) {
                dropped.add(entry.getValue().asLong() + " " + SafeText.inline(entry.getKey()));
            }
        }
        lines.add("traffic    forwarded " + status.path("forwarded").asLong() + ", returned " + status.path("returned").asLong()
                + "; dropped " + (dropped.isEmpty() ? "nothing" : String.join(", ", dropped)));
        JsonNode config = status.path("config");
        lines.add("config     loaded " + text(config, "loaded") + ", " + config.path("reloads").asLong() + " reloads applied");
        return lines;
    }

    private static String text(JsonNode node, String field) {
        return SafeText.inline(node.path(field).asText());
    }

    private static String counts(JsonNode counts) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            parts.add(entry.getValue().asLong() + " " + SafeText.inline(entry.getKey()));
        }
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }

    /** {@code 3d 4h 5m 6s}, leading zero units left out. */
    static String uptime(long seconds) {
        long days = seconds / 86_400;
        long hours = seconds / 3600 % 24;
        long minutes = seconds / 60 % 60;
        long rest = seconds % 60;
        StringBuilder text = new StringBuilder();
        if (days > 0) {
            text.append(days).append("d ");
        }
        if (days > 0 || hours > 0) {
            text.append(hours).append("h ");
        }
        if (days > 0 || hours > 0 || minutes > 0) {
            text.append(minutes).append("m ");
        }
        return text.append(rest).append('s').toString();
    }
}
