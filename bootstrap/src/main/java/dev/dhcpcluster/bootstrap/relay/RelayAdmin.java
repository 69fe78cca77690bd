package dev.dhcpcluster.bootstrap.relay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dhcpcluster.bootstrap.admin.AdminJson;
import dev.dhcpcluster.bootstrap.admin.JsonResponse;
import dev.dhcpcluster.core.relay.ClusterPicture;
import dev.dhcpcluster.core.relay.RelayDropReason;
import dev.dhcpcluster.core.relay.RelayInterface;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's admin HTTP endpoint on {@code relay.admin.listen}, read-only (so it needs no token):
 * <ul>
 *   <li>{@code GET /status}: the relay, its servers and what it has done (JSON);</li>
 *   <li>{@code GET /metrics}: its Prometheus metrics in the text format ({@link RelayMetrics});</li>
 *   <li>{@code GET /healthz}: {@code ok} while the relay runs.</li>
 * </ul>
 */
public final class RelayAdmin implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayAdmin.class);

    private final RelayRuntime relay;
    private final HttpServer server;
    private final ExecutorService executor;
    private final MetricsHandler metrics;

    private RelayAdmin(RelayRuntime relay, HttpServer server, ExecutorService executor) {
        this.relay = relay;
        this.server = server;
        this.executor = executor;
        this.metrics = new MetricsHandler(RelayMetrics.registry(relay));
    }

    /**
     * Starts the endpoint of {@code relay} on {@code listen}.
     *
     * @throws IOException naming the address if it cannot listen there
     */
    public static RelayAdmin start(RelayRuntime relay, RelayConfig.Listen listen) throws IOException {
        Objects.requireNonNull(relay, "relay");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(listen.address().toString(), listen.port()), 0);
        } catch (IOException e) {
            throw new IOException("the admin endpoint cannot listen on " + listen + " (relay.admin.listen): "
                    + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "dhcpcluster-relay-admin");
            thread.setDaemon(true);
            return thread;
        });
        RelayAdmin admin = new RelayAdmin(relay, server, executor);
        server.setExecutor(executor);
        server.createContext("/", admin::handle);
        server.start();
        LOG.info("relay admin endpoint on {}", admin.url());
        return admin;
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:9068}. */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                JsonResponse.send(exchange, 405, AdminJson.MAPPER.createObjectNode().put("error", "only GET is allowed here"));
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/metrics" -> metrics.handle(exchange);
                case "/status" -> JsonResponse.send(exchange, 200, status(relay));
                case "/healthz" -> {
                    byte[] ok = "ok\n".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                    exchange.sendResponseHeaders(200, ok.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(ok);
                    }
                }
                default -> JsonResponse.send(exchange, 404, AdminJson.MAPPER.createObjectNode()
                        .put("error", "no such path; known: /status, /metrics, /healthz"));
            }
        } catch (RuntimeException e) {
            LOG.warn("relay admin request failed: {}", e.toString());
        }
    }

    /**
     * The {@code /status} document: {@code "role": "relay"}, then {@link #describe}'s fields.
     */
    static ObjectNode status(RelayRuntime relay) {
        ObjectNode status = AdminJson.MAPPER.createObjectNode();
        status.put("role", "relay");
        status.setAll(describe(relay));
        return status;
    }

    /**
     * What {@code relay} reports of itself: its name, transport, interfaces, cluster, servers and
     * counts. A relay's {@code /status}, and the {@code relay} field of the {@code /status} of the
     * node it runs beside.
     */
    static ObjectNode describe(RelayRuntime relay) {
        RelayConfig config = relay.config();
        RelayCounters counters = relay.counters();
        ObjectNode status = AdminJson.MAPPER.createObjectNode();
        status.put("name", relay.name());
        status.put("transport", relay.describe());
        ArrayNode interfaces = status.putArray("interfaces");
        for (RelayInterface face : config.settings().interfaces()) {
            interfaces.addObject().put("name", face.name()).put("address", face.address().toString())
                    .put("trusted", face.trusted());
        }
        ClusterPicture picture = relay.picture();
        if (config.cluster().isEmpty()) {
            status.putNull("cluster");
        } else {
            ObjectNode cluster = status.putObject("cluster").put("name", config.cluster().get().name())
                    .put("reached", picture.reached()).put("assignment", picture.assignmentVersion());
            ArrayNode live = cluster.putArray("live");
            picture.live().stream().sorted().forEach(node -> live.add(node.value()));
        }
        ArrayNode servers = status.putArray("servers");
        for (RelayConfig.Server server : config.servers()) {
            ObjectNode entry = servers.addObject().put("address", server.address().toString());
            server.node().ifPresentOrElse(node -> entry.put("node", node.value()), () -> entry.putNull("node"));
            if (config.cluster().isPresent() && server.node().isPresent()) {
                entry.put("up", picture.isLive(server.node().get()));
                picture.roundTrip(server.node().get()).ifPresentOrElse(
                        rtt -> entry.put("round-trip-ms", rtt.toNanos() / 1e6), () -> entry.putNull("round-trip-ms"));
            }
            entry.put("sent", counters.sent(server.address()));
        }
        status.put("forwarded", counters.forwarded());
        status.put("returned", counters.returned());
        ObjectNode dropped = status.putObject("dropped");
        for (RelayDropReason reason : RelayDropReason.values()) {
            dropped.put(RelayCounters.label(reason), counters.dropped(reason));
        }
        status.putObject("config").put("loaded", relay.loaded().toString())
                .put("reloads", counters.reloads(true));
        return status;
    }

    /** Stops the endpoint. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
