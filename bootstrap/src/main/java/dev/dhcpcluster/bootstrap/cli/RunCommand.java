package dev.dhcpcluster.bootstrap.cli;

import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.HostCheck;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.relay.ColocatedRelay;
import dev.dhcpcluster.bootstrap.relay.NodeRelayReader;
import dev.dhcpcluster.bootstrap.relay.RelayConfig;
import dev.dhcpcluster.bootstrap.runtime.ConfigSource;
import dev.dhcpcluster.bootstrap.runtime.NodeComponent;
import dev.dhcpcluster.bootstrap.runtime.NodeRuntime;
import dev.dhcpcluster.bootstrap.runtime.NodeStartException;
import dev.dhcpcluster.bootstrap.secret.SecretException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dhcpcluster run --config FILE}: runs a node until SIGTERM or SIGINT. SIGHUP reloads the
 * config file ({@link NodeRuntime#reload}) and leaves the node running. A file with a {@code relay}
 * section runs that relay beside the node, on the node's transport ({@link ColocatedRelay}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs a node until SIGTERM or SIGINT; prints one line when it serves. "
                + "SIGHUP reloads the config file.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    /**
     * How long the node may take to start serving. Loading the store counts: a million leases take
     * about 10 s of CPU, and several times that on a loaded or slow machine, so the bound is generous;
     * it is there to end a start that hangs with a message, not to hurry a large store.
     */
    static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's JSON config file.")
    Path config;

    @Mixin
    PluginsOption plugins = new PluginsOption();

    @Override
    public Integer call() {
        NodeConfig nodeConfig;
        ConfigLoader loader;
        try {
            loader = plugins.loader();
            nodeConfig = loader.load(config);
            // An interface this host lacks is a mistake in the file, reported like any other.
            new HostCheck().check(nodeConfig, config.toString());
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return DhcpclusterCommand.USAGE;
        } catch (CommandFailure e) {
            spec.commandLine().getErr().println(e.getMessage());
            return e.exitCode();
        }
        Optional<ColocatedRelay> relay;
        try {
            relay = relay(nodeConfig);
        } catch (CommandFailure e) {
            spec.commandLine().getErr().println(e.getMessage());
            return e.exitCode();
        }
        NodeComponent node = NodeComponent.of(relay.map(ColocatedRelay::node).orElse(nodeConfig),
                ConfigSource.file(config, loader));
        NodeRuntime runtime = node.runtime();
        relay.ifPresent(beside -> {
            runtime.accompany(beside);
            beside.registerMetrics(node.metrics());
        });
        // Before start: a SIGHUP while the node starts must not stop it (the JVM's default).
        reloadOnHangup(runtime);
        // SIGTERM and SIGINT run the hooks: stop gracefully (the relay first, then the node: transport
        // closed, queued work done, store closed).
        Thread hook = new Thread(() -> {
            relay.ifPresent(ColocatedRelay::close);
            runtime.stop(STOP_TIMEOUT);
            Logging.flush();
        }, "dhcpcluster-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            runtime.start(START_TIMEOUT);
        } catch (NodeStartException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            relay.ifPresent(ColocatedRelay::close);
            spec.commandLine().getErr().println(e.getMessage());
            return DhcpclusterCommand.FAILED;
        }
        if (relay.isPresent()) {
            try {
                // After the node: the relay registers on the transport the node has bound.
                relay.get().start();
            } catch (IOException e) {
                Runtime.getRuntime().removeShutdownHook(hook);
                relay.get().close();
                runtime.stop(STOP_TIMEOUT);
                spec.commandLine().getErr().println("the relay cannot start: " + e.getMessage());
                return DhcpclusterCommand.FAILED;
            }
        }
        spec.commandLine().getOut().println(runtime.readyLine() + relay.map(ColocatedRelay::readySuffix).orElse(""));
        spec.commandLine().getOut().flush();
        runtime.awaitStopped();
        // A node stopped by a failure takes its relay with it.
        relay.ifPresent(ColocatedRelay::close);
        if (runtime.failure().isPresent()) {
            spec.commandLine().getErr().println("node stopped after a failure: " + runtime.failure().get().getMessage());
            return DhcpclusterCommand.FAILED;
        }
        return 0;
    }

    /**
     * The relay of the node file's {@code relay} section, ready to run beside the node; empty for
     * a file without one. Its cluster observer is open.
     *
     * @throws CommandFailure if the section cannot be read again, or the relay's cluster secret or
     *     TLS stores cannot be used
     */
    private Optional<ColocatedRelay> relay(NodeConfig nodeConfig) throws CommandFailure {
        NodeRelayReader reader = new NodeRelayReader();
        Optional<RelayConfig> relayConfig;
        try {
            relayConfig = reader.load(config, nodeConfig);
        } catch (ConfigException e) {
            throw new CommandFailure(DhcpclusterCommand.USAGE, e.getMessage());
        }
        if (relayConfig.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ColocatedRelay.of(nodeConfig, relayConfig.get(), config, reader));
        } catch (SecretException e) {
            throw new CommandFailure(DhcpclusterCommand.FAILED, "the relay cannot start: relay.cluster.secret-file: "
                    + e.getMessage());
        } catch (IllegalArgumentException e) {
            // A TLS store that cannot be used: the message names its field.
            throw new CommandFailure(DhcpclusterCommand.FAILED, "the relay cannot start: " + e.getMessage());
        }
    }

    /**
     * Makes SIGHUP reload the node's config instead of stopping the JVM. The signal's thread only
     * hands the reload to a thread of its own, which runs reloads one after another and logs each
     * outcome ({@link NodeRuntime#reload}).
     *
     * <p>The JDK has no supported API for signals; {@code sun.misc.Signal} (module
     * {@code jdk.unsupported}, kept for exactly this use) is what JVM servers use. javac warns
     * about it as internal API on every build: the warning is not a lint category, so neither
     * {@code @SuppressWarnings} nor {@code -Xlint} can silence it, and it is expected here (the
     * names are written in full so that this method is the only place it points at).
     */
    private static void reloadOnHangup(NodeRuntime runtime) {
        ExecutorService reloads = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "dhcpcluster-reload");
            thread.setDaemon(true);
            return thread;
        });
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> reloads.execute(runtime::reload));
        } catch (IllegalArgumentException e) {
            // No SIGHUP on this system, or the JVM keeps it for itself (-Xrs): no reload by signal.
            LOG.warn("SIGHUP cannot be handled here, so it does not reload the config: {}", e.getMessage());
            reloads.shutdown();
        }
    }
}
