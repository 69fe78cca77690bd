package dev.dhcpcluster.bootstrap.cli;

import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.HostCheck;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.runtime.NodeComponent;
import dev.dhcpcluster.bootstrap.runtime.NodeRuntime;
import dev.dhcpcluster.bootstrap.runtime.NodeStartException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dhcpcluster run --config FILE}: runs a node until SIGTERM or SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs a node until SIGTERM or SIGINT; prints one line when it serves.")
final class RunCommand implements Callable<Integer> {

    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's JSON config file.")
    Path config;

    @Override
    public Integer call() {
        NodeConfig nodeConfig;
        try {
            nodeConfig = new ConfigLoader().load(config);
            // An interface this host lacks is a mistake in the file, reported like any other.
            new HostCheck().check(nodeConfig, config.toString());
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return DhcpclusterCommand.USAGE;
        }
        NodeRuntime runtime = NodeComponent.of(nodeConfig).runtime();
        // SIGTERM and SIGINT run the hooks: stop gracefully (transport closed, queued work done, store closed).
        Thread hook = new Thread(() -> {
            runtime.stop(STOP_TIMEOUT);
            Logging.flush();
        }, "dhcpcluster-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            runtime.start(START_TIMEOUT);
        } catch (NodeStartException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            spec.commandLine().getErr().println(e.getMessage());
            return DhcpclusterCommand.FAILED;
        }
        spec.commandLine().getOut().println(runtime.readyLine());
        spec.commandLine().getOut().flush();
        runtime.awaitStopped();
        if (runtime.failure().isPresent()) {
            spec.commandLine().getErr().println("node stopped after a failure: " + runtime.failure().get().getMessage());
            return DhcpclusterCommand.FAILED;
        }
        return 0;
    }
}
