package dev.dhcpcluster.bootstrap.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.util.concurrent.AbstractIdleService;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dhcpcluster.bootstrap.config.AdminSettings;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.runtime.ClusterService;
import dev.dhcpcluster.bootstrap.runtime.NodeRuntime;
import dev.dhcpcluster.bootstrap.runtime.NodeService;
import dev.dhcpcluster.bootstrap.runtime.ReloadOutcome;
import dev.dhcpcluster.bootstrap.runtime.StartRefused;
import dev.dhcpcluster.core.text.SafeText;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.store.LeaseStoreException;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import javax.inject.Inject;
import javax.inject.Provider;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's admin HTTP endpoint, on the JDK's HTTP server. It starts once the DHCP service runs and
 * answers:
 * <ul>
 *   <li>{@code GET /status}: the node, its transport, store, pools, traffic and cluster, and the
 *       relay that runs in its process, if any (JSON);</li>
 *   <li>{@code GET /leases}: leases by address, MAC, client id, host name or subnet, paged (JSON);</li>
 *   <li>{@code DELETE /leases/ADDRESS}: ends the lease of ADDRESS, durably (token);</li>
 *   <li>{@code POST /reload}: reads the config file again ({@link NodeRuntime#reload}) (token);</li>
 *   <li>{@code GET /metrics}: the Prometheus registry in the text format.</li>
 * </ul>
 * Reads need nothing; every request that changes state needs {@code Authorization: Bearer TOKEN}
 * with the token of {@link AdminSettings#tokenFile()}: 401 without it, 403 with another. A bad
 * parameter gets 400 naming it, an unknown path 404, a wrong method 405.
 */
@Singleton
public final class AdminService extends AbstractIdleService {

    private static final Logger LOG = LoggerFactory.getLogger(AdminService.class);
    private static final String KNOWN_PATHS = "/status, /leases, /leases/ADDRESS, /metrics, /reload";
    private static final String LEASES_PREFIX = "/leases/";
    /** How long {@code /status} waits for the event loop to read the election. */
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(2);

    private final NodeConfig config;
    private final NodeService node;
    private final ClusterService cluster;
    private final Provider<NodeRuntime> runtime;
    private final PrometheusRegistry registry;

    private volatile HttpServer server;
    private volatile ExecutorService executor;
    private volatile AdminToken token;
    private volatile MetricsHandler metrics;
    private volatile Instant started;

    @Inject
    AdminService(NodeConfig config, NodeService node, ClusterService cluster, Provider<NodeRuntime> runtime,
            PrometheusRegistry registry) {
        this.config = config;
        this.cluster = cluster;
        this.node = node;
        this.runtime = runtime;
        this.registry = registry;
    }

    @Override
    protected void startUp() throws Exception {
        AdminSettings settings = config.admin();
        try {
            node.awaitRunning();
        } catch (IllegalStateException e) {
            // The DHCP service failed (or was stopped) before it ran: the node is stopping already,
            // and the DHCP service reports why. Failing here too would add a second report, with a
            // stack trace, of the same cause. The endpoint starts nothing and stops with the node.
            LOG.debug("node {}: no admin endpoint, the DHCP service did not start", config.node().value(), e);
            return;
        }
        if (node.startedNothing()) {
            // The cluster refused to start: the node is stopping, and the cluster reports why.
            LOG.debug("node {}: no admin endpoint, the cluster did not start", config.node().value());
            return;
        }
        started = Instant.now();
        AdminToken.Loaded loaded;
        try {
            loaded = AdminToken.loadOrCreate(settings.tokenFile());
        } catch (AdminTokenException e) {
            throw new StartRefused("admin.token-file: " + e.getMessage(), e);
        }
        token = loaded.token();
        if (loaded.created()) {
            LOG.info("node {} created the admin token file {} (mode 600)", config.node().value(), settings.tokenFile());
        }
        metrics = new MetricsHandler(registry);
        HttpServer created;
        try {
            created = HttpServer.create(new InetSocketAddress(settings.listenAddress().toString(), settings.listenPort()),
                    0);
        } catch (IOException e) {
            // Usually "Address already in use": another process (or another node) has the port.
            throw new StartRefused("admin endpoint cannot listen on " + settings.listen() + " (admin.listen): "
                    + e.getMessage(), e);
        }
        executor = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "dhcpcluster-admin-" + config.node().value());
            thread.setDaemon(true);
            return thread;
        });
        created.setExecutor(executor);
        created.createContext("/", this::handle);
        created.start();
        server = created;
        LOG.info("node {} admin endpoint on {} (token in {})", config.node().value(), url(), settings.tokenFile());
    }

    @Override
    protected void shutDown() {
        HttpServer current = server;
        if (current != null) {
            current.stop(1);
        }
        ExecutorService threads = executor;
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    /**
     * The TCP port the endpoint listens on (the one the system chose if the file says 0).
     *
     * @throws IllegalStateException if it is not running
     */
    public int port() {
        HttpServer current = server;
        if (current == null) {
            throw new IllegalStateException("the admin endpoint is not running");
        }
        return current.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:9067/}. */
    public String url() {
        return "http://" + config.admin().listenAddress() + ":" + port() + "/";
    }

    /** Routes one request; a handler that fails answers 500 rather than leaving the client hanging. */
    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (BadRequest e) {
                JsonResponse.send(exchange, 400, AdminJson.error(e.getMessage(), e.parameter()));
            } catch (RuntimeException e) {
                LOG.warn("admin request {} {} failed: {}", exchange.getRequestMethod(),
                        SafeText.inline(exchange.getRequestURI().getRawPath()), e.toString(), e);
                JsonResponse.send(exchange, 500, AdminJson.error("internal error: " + e, null));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException, BadRequest {
        String path = exchange.getRequestURI().getRawPath();
        switch (path) {
            case "/metrics" -> {
                if (allowed(exchange, "GET", "HEAD")) {
                    metrics.handle(exchange);
                }
            }
            case "/status" -> {
                if (allowed(exchange, "GET")) {
                    noParameters(exchange);
                    status(exchange);
                }
            }
            case "/leases" -> {
                if (allowed(exchange, "GET")) {
                    leases(exchange);
                }
            }
            case "/reload" -> {
                if (allowed(exchange, "POST") && authorized(exchange)) {
                    noParameters(exchange);
                    reload(exchange);
                }
            }
            default -> {
                if (path.startsWith(LEASES_PREFIX) && path.length() > LEASES_PREFIX.length()) {
                    if (allowed(exchange, "DELETE") && authorized(exchange)) {
                        noParameters(exchange);
                        removeLease(exchange, path.substring(LEASES_PREFIX.length()));
                    }
                } else {
                    JsonResponse.send(exchange, 404, AdminJson.error("no such path; known: " + KNOWN_PATHS, null));
                }
            }
        }
    }

    private void status(HttpExchange exchange) throws IOException {
        NodeRuntime current = runtime.get();
        try {
            String version = AdminService.class.getPackage().getImplementationVersion();
            AdminJson.Status status = new AdminJson.Status(config, version == null ? "(development build)" : version,
                    started, Instant.now(), node.endpoint(), node.storeDescription(), node.boundPort(), node.usage(), current.counts(),
                    cluster.status(CLUSTER_TIMEOUT));
            ObjectNode json = AdminJson.status(status);
            // What runs beside the node (its relay) shows under its section's name.
            current.companion().ifPresent(beside -> json.set(beside.name(), beside.status()));
            JsonResponse.send(exchange, 200, json);
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            unavailable(exchange, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable(exchange, e);
        }
    }

    private void leases(HttpExchange exchange) throws IOException, BadRequest {
        var query = LeaseQueries.parse(exchange.getRequestURI().getRawQuery());
        try {
            JsonResponse.send(exchange, 200, AdminJson.leases(node.leases(query)));
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            unavailable(exchange, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable(exchange, e);
        }
    }

    private void removeLease(HttpExchange exchange, String rawAddress) throws IOException, BadRequest {
        String text = URLDecoder.decode(rawAddress, StandardCharsets.UTF_8);
        Ipv4Address address;
        try {
            address = Ipv4Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("address", "\"" + text + "\" is not an IPv4 address");
        }
        try {
            Optional<Lease> ended = node.removeLease(address);
            if (ended.isEmpty()) {
                JsonResponse.send(exchange, 404, AdminJson.error("no lease holds " + address, "address"));
            } else {
                JsonResponse.send(exchange, 200, AdminJson.MAPPER.createObjectNode().put("removed", address.toString())
                        .set("lease", AdminJson.lease(ended.get())));
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LeaseStoreException store) {
                JsonResponse.send(exchange, 500, AdminJson.error(address + " is free in the running node, but the lease store "
                        + "could not record it (the lease may return after a restart): " + store.getMessage(), null));
            } else {
                unavailable(exchange, e);
            }
        } catch (TimeoutException | IllegalStateException e) {
            unavailable(exchange, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable(exchange, e);
        }
    }

    private void reload(HttpExchange exchange) throws IOException {
        ReloadOutcome outcome = runtime.get().reload();
        // A refused file is the client's mistake, not the server's: 422, with the reasons.
        JsonResponse.send(exchange, outcome.applied() ? 200 : 422, AdminJson.reload(outcome));
    }

    /** True if the method is one of {@code methods}; else answers 405 with the allowed ones. */
    private static boolean allowed(HttpExchange exchange, String... methods) throws IOException {
        String method = exchange.getRequestMethod();
        for (String allowed : methods) {
            if (allowed.equals(method)) {
                return true;
            }
        }
        String allow = String.join(", ", methods);
        exchange.getResponseHeaders().set("Allow", allow);
        JsonResponse.send(exchange, 405, AdminJson.error("method " + method + " is not allowed here; use " + allow, null));
        return false;
    }

    /** True if the request carries this node's token; else answers 401 (none) or 403 (another). */
    private boolean authorized(HttpExchange exchange) throws IOException {
        List<String> headers = exchange.getRequestHeaders().get("Authorization");
        String header = headers == null || headers.isEmpty() ? null : headers.get(0);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            JsonResponse.send(exchange, 401, AdminJson.error("this request changes the node; send the admin token as "
                    + "\"Authorization: Bearer TOKEN\" (the token is in " + config.admin().tokenFile() + ")", null));
            return false;
        }
        if (!token.matches(header.substring(7).strip())) {
            JsonResponse.send(exchange, 403, AdminJson.error("the admin token is not this node's", null));
            return false;
        }
        return true;
    }

    private static void noParameters(HttpExchange exchange) throws BadRequest {
        var parameters = LeaseQueries.anyParameter(exchange.getRequestURI().getRawQuery());
        if (parameters.isPresent()) {
            throw new BadRequest(parameters.get(), "unknown parameter; this path takes none");
        }
    }

    private static void unavailable(HttpExchange exchange, Exception e) throws IOException {
        String reason = e instanceof TimeoutException ? "the node did not answer in time" : String.valueOf(e.getMessage());
        JsonResponse.send(exchange, 503, AdminJson.error("the node cannot answer now: " + reason, null));
    }
}
