package dev.dhcpcluster.bootstrap.embed;

import dev.dhcpcluster.bootstrap.config.AdminSettings;
import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.HostCheck;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.plugin.AdapterCatalog;
import dev.dhcpcluster.bootstrap.plugin.AdapterChoice;
import dev.dhcpcluster.bootstrap.plugin.PluginException;
import dev.dhcpcluster.bootstrap.runtime.ConfigSource;
import dev.dhcpcluster.bootstrap.runtime.NodeComponent;
import dev.dhcpcluster.bootstrap.runtime.NodeRuntime;
import dev.dhcpcluster.bootstrap.runtime.NodeStartException;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.pool.PoolUsage;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.plugin.AdapterSettings;
import dev.dhcpcluster.port.store.LeaseStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A dhcpcluster node inside another Java application: what {@code dhcpcluster run} runs, without
 * the command line.
 *
 * <pre>{@code
 * DhcpNode node = DhcpNode.builder()
 *         .configJson(Files.readString(Path.of("node.json")))
 *         .transport(myTransport)       // optional: else the file's transport section
 *         .build();
 * node.start();
 * ...
 * node.stop();
 * }</pre>
 *
 * <p>A node is started at most once. Every method may be called from any thread. The node logs
 * through SLF4J: the application's own logging backend decides where its lines go.
 */
public final class DhcpNode implements AutoCloseable {

    /** How long {@link #start()} and {@link #stop()} wait. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final NodeConfig config;
    private final NodeRuntime runtime;
    private final CountDownLatch serving = new CountDownLatch(1);
    private volatile NodeState state = NodeState.NEW;

    private DhcpNode(NodeConfig config, ConfigSource source) {
        this.config = config;
        this.runtime = NodeComponent.of(config, source).runtime();
    }

    /** A builder of a node. */
    public static Builder builder() {
        return new Builder();
    }

    /** The configuration the node runs on, as validated. */
    public NodeConfig config() {
        return config;
    }

    /** Starts the node, waiting up to {@link #DEFAULT_TIMEOUT}; see {@link #start(Duration)}. */
    public void start() throws NodeStartException {
        start(DEFAULT_TIMEOUT);
    }

    /**
     * Starts the node and returns once it serves: its transport is bound, its leases are loaded,
     * and, for a cluster member, its peer transport listens.
     *
     * @throws NodeStartException if it cannot start (a port in use, a store that cannot be written,
     *     a timeout), naming why in one line; the node is stopped again
     * @throws IllegalStateException if the node was started before
     */
    public void start(Duration timeout) throws NodeStartException {
        synchronized (this) {
            if (state != NodeState.NEW) {
                throw new IllegalStateException("node " + config.node().value() + " was started before; it is "
                        + state.name().toLowerCase(java.util.Locale.ROOT));
            }
            state = NodeState.STARTING;
        }
        try {
            runtime.start(timeout);
        } catch (NodeStartException e) {
            state = NodeState.STOPPED;
            serving.countDown();
            throw e;
        }
        state = NodeState.SERVING;
        serving.countDown();
    }

    /**
     * Waits until the node serves, for a caller that did not start it itself.
     *
     * @throws TimeoutException if it does not serve within {@code timeout}
     * @throws IllegalStateException if it stopped, or failed to start, instead
     */
    public void awaitServing(Duration timeout) throws InterruptedException, TimeoutException {
        if (!serving.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new TimeoutException("node " + config.node().value() + " did not serve within " + timeout.toMillis()
                    + " ms; it is " + state().name().toLowerCase(java.util.Locale.ROOT));
        }
        NodeState now = state();
        if (now != NodeState.SERVING) {
            throw new IllegalStateException("node " + config.node().value() + " does not serve: it is "
                    + now.name().toLowerCase(java.util.Locale.ROOT)
                    + runtime.failure().map(cause -> " (" + cause.getMessage() + ")").orElse(""));
        }
    }

    /** Stops the node, waiting up to {@link #DEFAULT_TIMEOUT}; see {@link #stop(Duration)}. */
    public void stop() {
        stop(DEFAULT_TIMEOUT);
    }

    /**
     * Stops the node: the transport stops receiving, the work already queued is done, the store
     * completes the writes it accepted and closes. Idempotent; a node never started just becomes
     * stopped.
     */
    public void stop(Duration timeout) {
        synchronized (this) {
            if (state == NodeState.NEW) {
                state = NodeState.STOPPED;
                serving.countDown();
                return;
            }
        }
        runtime.stop(timeout);
        if (state != NodeState.FAILED) {
            state = NodeState.STOPPED;
        }
        serving.countDown();
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Where the node is in its life. */
    public NodeState state() {
        if (state == NodeState.SERVING && runtime.failure().isPresent()) {
            state = NodeState.FAILED;
        }
        return state;
    }

    /** What the node reports about itself now. */
    public DhcpNodeStatus status() {
        NodeState now = state();
        Optional<String> failure = runtime.failure().map(Throwable::getMessage);
        if (now != NodeState.SERVING) {
            return new DhcpNodeStatus(config.node(), now, "", OptionalInt.empty(), Optional.empty(), failure);
        }
        Optional<PoolUsage> pools;
        try {
            pools = Optional.of(runtime.node().usage());
        } catch (Exception e) {
            // The node stopped between the two reads: report what is known.
            pools = Optional.empty();
        }
        return new DhcpNodeStatus(config.node(), now, runtime.node().endpoint(), runtime.node().boundPort(), pools,
                failure);
    }

    /**
     * Builds a {@link DhcpNode} from a node file, its JSON text, or objects built in code, and
     * optionally the application's own transport and lease store.
     */
    public static final class Builder {

        private Path file;
        private String json;
        private NodeConfig built;
        private ServerConfig server;
        private Path dataDirectory;
        private DhcpTransport transport;
        private LeaseStore store;
        private AdapterCatalog catalog;

        private Builder() {
        }

        /** The node file at {@code file}; a reload reads it again. */
        public Builder configFile(Path file) {
            this.file = Objects.requireNonNull(file, "file");
            return this;
        }

        /** A node file's text (the format of {@code docs/configuration.md}). */
        public Builder configJson(String json) {
            this.json = Objects.requireNonNull(json, "json");
            return this;
        }

        /** A configuration built and validated already. */
        public Builder config(NodeConfig config) {
            this.built = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * A node of its own, with no file: the DHCP service {@code server} describes (build it with
         * {@link ServerConfig#builder()} or read it with {@link dev.dhcpcluster.bootstrap.config.Dhcp4Parser}),
         * keeping its files in {@code dataDirectory}, with no admin endpoint. Needs a
         * {@link #transport}; the store is the volatile memory store unless {@link #leaseStore} names one.
         */
        public Builder server(ServerConfig server, Path dataDirectory) {
            this.server = Objects.requireNonNull(server, "server");
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory").toAbsolutePath();
            return this;
        }

        /** The transport to use, instead of the one the configuration names. */
        public Builder transport(DhcpTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** The lease store to use, instead of the one the configuration names. */
        public Builder leaseStore(LeaseStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * The adapters a node file may name; by default those on the class path
         * ({@link AdapterCatalog#fromClassPath()}).
         */
        public Builder adapters(AdapterCatalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        /**
         * The node, not yet started.
         *
         * @throws ConfigException if the configuration is not valid, naming the path of every bad field,
         *     or names a network interface this host does not have. A file's {@code transport} section
         *     is checked even when {@link #transport} replaces it.
         * @throws IllegalStateException if no configuration, or more than one, was given, or a node
         *     built from a {@link ServerConfig} has no transport
         */
        public DhcpNode build() throws ConfigException {
            int given = (file == null ? 0 : 1) + (json == null ? 0 : 1) + (built == null ? 0 : 1)
                    + (server == null ? 0 : 1);
            if (given != 1) {
                throw new IllegalStateException("give exactly one configuration: configFile, configJson, config or "
                        + "server; " + given + " given");
            }
            ConfigLoader loader = new ConfigLoader(catalog());
            NodeConfig config;
            ConfigSource source;
            if (file != null) {
                config = loader.load(file);
                source = ConfigSource.file(file, loader);
            } else if (json != null) {
                config = loader.parse(json, "the node's JSON");
                source = ConfigSource.none("a node file's text given in code");
            } else if (built != null) {
                config = built;
                source = ConfigSource.none("a configuration built in code");
            } else {
                config = standalone(loader.catalog());
                source = ConfigSource.none("a ServerConfig built in code");
            }
            // As run does: a subnet may not name an interface this host lacks.
            new HostCheck().check(config, source.description());
            if (transport != null) {
                config = config.withTransport(AdapterChoice.of(transport.getClass().getSimpleName(), transport));
            }
            if (store != null) {
                config = config.withLeaseStore(AdapterChoice.of(store.getClass().getSimpleName(), store));
            }
            return new DhcpNode(config, source);
        }

        private AdapterCatalog catalog() {
            if (catalog != null) {
                return catalog;
            }
            try {
                return AdapterCatalog.fromClassPath();
            } catch (PluginException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        private NodeConfig standalone(AdapterCatalog adapters) {
            if (transport == null) {
                throw new IllegalStateException("a node built from a ServerConfig needs a transport: call transport(...)");
            }
            AdapterChoice<LeaseStore> memory = adapters.store("memory")
                    .map(provider -> new AdapterChoice<>("memory", Map.of(), Map.of(),
                            provider.configure(AdapterSettings.of("lease-store", Map.of(), dataDirectory))))
                    .orElseThrow(() -> new IllegalStateException("no memory lease store on the class path; "
                            + "call leaseStore(...)"));
            AdminSettings noAdmin = new AdminSettings(false, Ipv4Address.parse("127.0.0.1"), 0,
                    dataDirectory.resolve(AdminSettings.DEFAULT_TOKEN_FILE));
            return new NodeConfig(server.node(), dataDirectory, AdapterChoice.of("embedded", transport), memory, server,
                    noAdmin);
        }
    }
}
