package dev.dhcpcluster.bootstrap.runtime;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.Service;
import com.google.common.util.concurrent.ServiceManager;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
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
    private final ServiceManager services;
    private final NodeService node;
    private final LoggingClusterEvents events;
    private volatile Throwable failure;
    /** Set once every service runs: a failure from then on is a running node's, logged in full. */
    private volatile boolean serving;

    @Inject
    NodeRuntime(NodeConfig config, ServiceManager services, NodeService node, EventLoop loop,
            LoggingClusterEvents events) {
        this.config = config;
        // The node drains its queued work on the loop while it stops: the loop must outlive it.
        loop.stopAfter(node);
        this.services = services;
        this.node = node;
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
                services.stopAsync();
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
        try {
            services.awaitHealthy(timeout);
            serving = true;
        } catch (IllegalStateException | TimeoutException e) {
            stop(timeout);
            Throwable cause = failure().or(this::failedService).orElse(e);
            throw new NodeStartException("node " + config.node().value() + " did not start: " + describe(cause), cause);
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
     * Reads the node's config file again and applies what can change while the node runs, keeping
     * every lease; a file that is not valid leaves the node on its old config.
     */
    public ReloadOutcome reload() {
        // The reload itself is being built on its own branch; this signature is its contract.
        throw new UnsupportedOperationException("reload is not built yet");
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
