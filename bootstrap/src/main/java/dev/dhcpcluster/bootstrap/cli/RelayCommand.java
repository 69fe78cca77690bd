package dev.dhcpcluster.bootstrap.cli;

import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.relay.ClusterSource;
import dev.dhcpcluster.bootstrap.relay.RelayAdmin;
import dev.dhcpcluster.bootstrap.relay.RelayConfig;
import dev.dhcpcluster.bootstrap.relay.RelayConfigReader;
import dev.dhcpcluster.bootstrap.relay.RelayFileWatch;
import dev.dhcpcluster.bootstrap.relay.RelayRuntime;
import dev.dhcpcluster.bootstrap.secret.SecretException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dhcpcluster relay --config FILE}: runs a DHCP relay agent until SIGTERM or SIGINT. SIGHUP,
 * or a change of the file, reloads it ({@link RelayRuntime#reload}). Exit codes as {@code run}: 2 for
 * a bad file, 1 for a relay that cannot start.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Runs a DHCP relay agent until SIGTERM or SIGINT; prints one line when it relays. "
                + "SIGHUP, or a change of the file, reloads the config file.")
final class RelayCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RelayCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The relay's JSON config file.")
    Path config;

    @Override
    public Integer call() {
        RelayConfigReader reader = new RelayConfigReader();
        RelayConfig relayConfig;
        try {
            relayConfig = reader.load(config);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return DhcpclusterCommand.USAGE;
        }
        ClusterSource cluster;
        try {
            cluster = ClusterSource.of(relayConfig, relayConfig.name().orElse(RelayRuntime.defaultName()));
        } catch (SecretException e) {
            spec.commandLine().getErr().println("the relay cannot start: relay.cluster.secret-file: " + e.getMessage());
            return DhcpclusterCommand.FAILED;
        } catch (IllegalArgumentException e) {
            // A TLS store that cannot be used: the message names its field (relay.cluster.tls.keystore: ...).
            spec.commandLine().getErr().println("the relay cannot start: " + e.getMessage());
            return DhcpclusterCommand.FAILED;
        }
        RelayRuntime relay = RelayRuntime.of(relayConfig, Optional.of(() -> reader.load(config)), cluster);
        reloadOnHangup(relay);
        RelayAdmin admin = null;
        try {
            relay.start();
            if (relayConfig.admin().isPresent()) {
                admin = RelayAdmin.start(relay, relayConfig.admin().get());
            }
        } catch (IOException e) {
            // The relay owns the cluster source: closing it closes the observer too.
            relay.close();
            spec.commandLine().getErr().println("the relay cannot start: " + e.getMessage());
            return DhcpclusterCommand.FAILED;
        }
        RelayFileWatch watch = RelayFileWatch.start(config, relay, RelayFileWatch.DEFAULT_INTERVAL);
        RelayAdmin started = admin;
        // SIGTERM and SIGINT run the hooks: stop relaying, then let call() return.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            watch.close();
            if (started != null) {
                started.close();
            }
            relay.close();
            Logging.flush();
        }, "dhcpcluster-relay-shutdown"));
        spec.commandLine().getOut().println("dhcpcluster relay relays on " + relay.describe() + " to "
                + relayConfig.settings().servers() + (started == null ? "" : ", admin " + started.url()));
        spec.commandLine().getOut().flush();
        try {
            relay.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DhcpclusterCommand.FAILED;
        }
        return 0;
    }

    /** SIGHUP reloads the file, on a thread of its own, as in {@code run} ({@link RunCommand}). */
    private static void reloadOnHangup(RelayRuntime relay) {
        ExecutorService reloads = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "dhcpcluster-relay-reload");
            thread.setDaemon(true);
            return thread;
        });
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> reloads.execute(relay::reload));
        } catch (IllegalArgumentException e) {
            LOG.warn("SIGHUP cannot be handled here, so it does not reload the config: {}", e.getMessage());
            reloads.shutdown();
        }
    }
}
