package dev.dhcpcluster.bootstrap.runtime;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.Service;
import com.google.common.util.concurrent.ServiceManager;
import dev.dhcpcluster.bootstrap.config.ConfigError;
import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.HostCheck;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.core.cluster.ConfigDistribution;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.text.SafeText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's life cycle: starts and stops every {@link Service} of the node together, through one
 * {@link ServiceManager}, and logs a service that fails. A failed service stops the whole node, so
 * that a half-working node never keeps answering.
 */
@Singleton
public final class NodeRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);

    private final NodeConfig config;
    private final ConfigSource source;
    private final ServiceManager services;
    private final NodeService node;
    private final ClusterService cluster;
    private final LoggingClusterEvents events;
    private volatile Throwable failure;
    /** True while the last reload's errors are the file's own (guarded by the reload's lock). */
    private boolean fileRefused;
    /** Set once every service runs: a failure from then on is a running node's, logged in full. */
    private volatile boolean serving;
    /**
     * True once {@link #start} has asked every service to start. Until then a service that fails
     * fast (a cluster secret refused, say) must not stop the others: those not yet asked would be
     * stopped before their turn, and the service manager would log each as a warning beside the
     * one line that says why the node did not start. {@link #start} stops them itself then.
     */
    private volatile boolean startRequested;
    /** What runs beside the node in its process, reloaded and shown with it, if anything. */
    private volatile Optional<NodeCompanion> companion = Optional.empty();

    @Inject
    NodeRuntime(NodeConfig config, ConfigSource source, ServiceManager services, NodeService node,
            ClusterService cluster, EventLoop loop, LoggingClusterEvents events) {
        this.config = config;
        this.source = source;
        // The node drains its queued work on the loop while it stops: the loop must outlive it.
        loop.stopAfter(node);
        this.services = services;
        this.node = node;
        this.cluster = cluster;
        this.events = events;
        services.addListener(new ServiceManager.Listener() {
            @Override
            public void failure(Service service) {
                Throwable cause = service.failureCause();
                if (failure == null) {
                    failure = cause;
                }
                if (cause instanceof StartRefused) {
                    // Expected and explained by its message, which the caller of start() reports.
                    LOG.debug("{} refused to start: {}", service, cause.getMessage(), cause);
                } else if (!serving) {
                    // A bug while starting: start() reports it in its one line, which says where the
                    // stack trace is; standard error keeps to that one line.
                    LOG.debug("{} failed while starting: {}", service, cause.getMessage(), cause);
                } else {
                    LOG.error("{} failed: {}", service, cause.getMessage(), cause);
                }
                if (startRequested) {
                    services.stopAsync();
                }
            }
        }, MoreExecutors.directExecutor());
    }

    /**
     * Starts every service and waits until all run.
     *
     * @throws NodeStartException if one fails to start (the others are stopped again), naming why
     *     in one line; the stack trace of an unexpected failure is logged at DEBUG
     */
    public void start(Duration timeout) throws NodeStartException {
        services.startAsync();
        startRequested = true;
        try {
            services.awaitHealthy(timeout);
            serving = true;
            if (cluster.clustered()) {
                distributeConfig();
            }
        } catch (IllegalStateException | TimeoutException e) {
            stop(timeout);
            Throwable cause = failure().or(this::failedService).orElse(e);
            throw new NodeStartException("node " + config.node().value() + " did not start: " + describe(cause), cause);
        }
    }

    /**
     * Starts offering this node's {@code Dhcp4} section to the members while it leads, and
     * following the leader's while it does not. A node that runs on no file (one built in a
     * program) has no text to offer, and serves its own configuration only.
     */
    private void distributeConfig() throws NodeStartException {
        if (source.file().isEmpty()) {
            LOG.info("node {} runs on {}, not on a file: it serves its own Dhcp4 section and takes no leader's",
                    config.node().value(), SafeText.inline(source.description()));
            return;
        }
        try {
            String text = Files.readString(source.file().get(), StandardCharsets.UTF_8);
            cluster.distributeConfig(node, LeaderConfig.canonicalDhcp4(text));
        } catch (IOException | ConfigException e) {
            LOG.warn("node {} serves its own Dhcp4 section and takes no leader's: its file cannot be read again: {}",
                    config.node().value(), SafeText.inline(e.getMessage()));
        } catch (ExecutionException | TimeoutException | StartRefused e) {
            throw new NodeStartException("node " + config.node().value() + " did not start: the configuration "
                    + "distribution did not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeStartException("node " + config.node().value() + " did not start: interrupted", e);
        }
    }

    /** Stops every service (transport closed, queued work done, store closed) and waits. */
    public void stop(Duration timeout) {
        services.stopAsync();
        try {
            services.awaitStopped(timeout);
        } catch (TimeoutException e) {
            LOG.warn("node {} did not stop within {} s: {}", config.node().value(), timeout.toSeconds(),
                    services.servicesByState());
        }
    }

    /** Blocks until every service has stopped, by {@link #stop} or by a failure. */
    public void awaitStopped() {
        services.awaitStopped();
    }

    /** The first failure of a service, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** The DHCP service. */
    public NodeService node() {
        return node;
    }

    /**
     * Makes {@code beside} the node's companion: reloaded with the node ({@link #reload}) and shown
     * in its status. Set once, before the node starts.
     *
     * @throws IllegalStateException if the node has a companion already
     */
    public void accompany(NodeCompanion beside) {
        Objects.requireNonNull(beside, "beside");
        synchronized (this) {
            if (companion.isPresent()) {
                throw new IllegalStateException("node " + config.node().value() + " has a companion already");
            }
            companion = Optional.of(beside);
        }
    }

    /** What runs beside the node in its process, if anything ({@link #accompany}). */
    public Optional<NodeCompanion> companion() {
        return companion;
    }

    /**
     * Reads the node's config file again and applies what can change while the node runs, keeping
     * every lease; a file that is not valid leaves the node on its old config. The file is read by
     * the same {@link ConfigLoader} as at start. Fields that need a restart
     * ({@link ConfigChanges#RESTART_ONLY}) keep their running values and are named in the outcome;
     * the rest of the file is applied all the same. The outcome is logged, one line per item.
     *
     * <p>A node with a {@linkplain #accompany companion} reloads it first, from the same file: its
     * lines join the outcome, and a refusal of its section refuses the whole reload, the node
     * keeping its config too.
     *
     * <p>Reloads run one at a time; the caller's thread waits for the event loop to take the new
     * config (briefly: the swap runs between two datagrams).
     */
    public synchronized ReloadOutcome reload() {
        fileRefused = false;
        ReloadOutcome outcome = attemptReload();
        log(outcome);
        return outcome;
    }

    private ReloadOutcome attemptReload() {
        if (source.file().isEmpty()) {
            return refused("(file)", "the node runs on " + source.description() + ", not on a file: there is nothing "
                    + "to read again");
        }
        Path file = source.file().get();
        NodeConfig loaded;
        String canonical;
        try {
            String text = ConfigLoader.text(file);
            loaded = source.loader().parse(text, file.toString());
            // As at start: a subnet may not name an interface this host lacks.
            new HostCheck().check(loaded, file.toString());
            canonical = LeaderConfig.canonicalDhcp4(text);
        } catch (ConfigException e) {
            fileRefused = true;
            return new ReloadOutcome(false, List.of(), List.of(),
                    e.errors().stream().map(ConfigError::toString).toList());
        }
        Optional<NodeCompanion> beside = companion;
        if (beside.isEmpty()) {
            return reloadNode(loaded, canonical);
        }
        ReloadOutcome besides = beside.get().reload();
        if (!besides.applied()) {
            fileRefused = true;
            return besides;
        }
        ReloadOutcome own = reloadNode(loaded, canonical);
        List<String> changes = new ArrayList<>(own.changes());
        changes.addAll(besides.changes());
        List<String> restartNeeded = new ArrayList<>(own.restartNeeded());
        restartNeeded.addAll(besides.restartNeeded());
        // The companion's changes are in force whatever became of the node's.
        return new ReloadOutcome(own.applied(), changes, restartNeeded, own.errors());
    }

    /** The node's own part of a reload, from a file found valid. */
    private ReloadOutcome reloadNode(NodeConfig loaded, String canonical) {
        List<String> restartNeeded = ConfigChanges.restartNeeded(config, loaded);
        ServerConfig serving = node.serving();
        if (cluster.distributesConfig()) {
            return reloadInCluster(loaded, canonical, serving, restartNeeded);
        }
        ServerConfig next = ConfigChanges.applicable(serving, loaded.server());
        List<String> changes = ConfigChanges.describe(serving, next);
        if (!changes.isEmpty()) {
            try {
                node.reconfigure(next);
            } catch (IllegalStateException e) {
                return refused("(node)", e.getMessage());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                return refused("Dhcp4", "cannot be served: " + describe(cause));
            } catch (TimeoutException e) {
                return refused("(node)", "the event loop did not take the new config in time; it may still take it");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return refused("(node)", "interrupted while the event loop took the new config");
            }
        }
        return new ReloadOutcome(true, changes, restartNeeded, List.of());
    }

    /**
     * A member's reload: the distribution decides whether its own {@code Dhcp4} is served now
     * (it leads, or runs without a leader) or set aside while it follows the leader's.
     */
    private ReloadOutcome reloadInCluster(NodeConfig loaded, String canonical, ServerConfig before,
            List<String> restartNeeded) {
        ConfigDistribution.OwnChange change;
        try {
            change = cluster.ownConfigChanged(loaded.server(), canonical);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return refused("Dhcp4", "cannot be served: " + describe(cause));
        } catch (TimeoutException | StartRefused e) {
            return refused("(node)", "the event loop did not take the new config in time; it may still take it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refused("(node)", "interrupted while the event loop took the new config");
        }
        return switch (change) {
            case SERVED -> new ReloadOutcome(true, ConfigChanges.describe(before, node.serving()), restartNeeded,
                    List.of());
            case SET_ASIDE -> new ReloadOutcome(true, List.of(), restartNeeded, List.of());
            case REFUSED -> refused("Dhcp4", "cannot be served (the log says why); the node serves what it served");
        };
    }

    private static ReloadOutcome refused(String path, String why) {
        return new ReloadOutcome(false, List.of(), List.of(), List.of(new ConfigError(path, why).toString()));
    }

    /**
     * Logs a reload: {@code node 1 reloaded its config: 2 changes} and a line per change and per
     * field that needs a restart, or {@code node 1 kept its config: the file has 1 error: PATH: ...}
     * (with more errors, one line each after the first line).
     */
    private void log(ReloadOutcome outcome) {
        long id = config.node().value();
        String file = source.file().map(Path::toString).orElse(source.description());
        if (outcome.applied()) {
            int count = outcome.changes().size();
            LOG.info("node {} reloaded its config: {} ({})", id,
                    count == 0 ? "no changes" : count + (count == 1 ? " change" : " changes"), SafeText.inline(file));
            for (String change : outcome.changes()) {
                LOG.info("reload: {}", SafeText.inline(change));
            }
            for (String path : outcome.restartNeeded()) {
                LOG.warn("reload: {}", SafeText.inline(ReloadOutcome.restartLine(path)));
            }
            return;
        }
        List<String> errors = outcome.errors();
        if (!fileRefused) {
            // Not the file's fault (no file, the node not running): the reason is the line.
            errors.forEach(error -> LOG.warn("node {} kept its config: {}", id, SafeText.inline(error)));
            return;
        }
        if (errors.size() == 1) {
            LOG.warn("node {} kept its config: the file has 1 error: {}", id, SafeText.inline(errors.get(0)));
            return;
        }
        LOG.warn("node {} kept its config: the file has {} errors ({})", id, errors.size(), SafeText.inline(file));
        for (String error : errors) {
            LOG.warn("reload: {}", SafeText.inline(error));
        }
    }

    /** What the node has counted so far. */
    public EventCounts counts() {
        return events.counts();
    }

    /**
     * The line printed once the node serves:
     * {@code dhcpcluster node 1 serving 198.18.0.0/16 on udp 0.0.0.0:67 (interface eth0)}.
     */
    public String readyLine() {
        String subnets = config.server().subnets().stream().map(SubnetConfig::toString)
                .collect(Collectors.joining(", "));
        return "dhcpcluster node " + config.node().value() + " serving " + subnets + " on " + node.endpoint();
    }

    /**
     * What a lease store's commits came to, in one line:
     * {@code 120 commits made 3000 changes durable (25.0 per commit, at most 61); commit latency
     * 3.1 ms on average, 12.4 ms at most; 0 failed}.
     */
    public static String describeStore(EventCounts.StoreCounts store) {
        return String.format(Locale.ROOT, "%d commit%s made %d change%s durable (%.1f per commit, at most %d); "
                + "commit latency %.1f ms on average, %.1f ms at most; %d failed", store.commits(),
                store.commits() == 1 ? "" : "s", store.changesCommitted(), store.changesCommitted() == 1 ? "" : "s",
                store.averageBatch(), store.maxBatch(), millis(store.averageCommitLatency()),
                millis(store.commitLatencyMax()), store.failures());
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }

    private Optional<Throwable> failedService() {
        return services.servicesByState().get(Service.State.FAILED).stream().findFirst().map(Service::failureCause);
    }

    /**
     * The reason in the one line a failed start prints. An expected refusal ({@link StartRefused})
     * is its message; anything else is a bug, named by its exception, and its stack trace is
     * logged at DEBUG only, so that standard error keeps to one line at the default level.
     */
    private static String describe(Throwable cause) {
        if (cause instanceof StartRefused) {
            return cause.getMessage();
        }
        if (cause instanceof TimeoutException) {
            return "not every service was running in time: " + cause.getMessage();
        }
        return "unexpected " + cause + " (--log-level DEBUG logs its stack trace)";
    }
}
