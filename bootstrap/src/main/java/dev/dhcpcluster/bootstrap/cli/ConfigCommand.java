package dev.dhcpcluster.bootstrap.cli;

import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.HostCheck;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dhcpcluster config ...}: works on node files without running a node. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Works on node config files.",
        subcommands = {ConfigCommand.Check.class})
final class ConfigCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: check");
    }

    /**
     * {@code dhcpcluster config check FILE}: validates a node file, and that the interfaces it
     * names exist on this host; prints OK or every error.
     */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validates a node config file; prints OK or every error with the path of its field.")
    static final class Check implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The node's JSON config file.")
        Path file;

        @Option(names = "--no-host-check",
                description = "Check the file alone, not that the interfaces it names exist on this host (for a file "
                        + "meant for another host).")
        boolean noHostCheck;

        @Override
        public Integer call() {
            try {
                NodeConfig config = new ConfigLoader().load(file);
                if (!noHostCheck) {
                    new HostCheck().check(config, file.toString());
                }
                spec.commandLine().getOut().println("OK: " + file + ": " + summary(config));
                return 0;
            } catch (ConfigException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return DhcpclusterCommand.USAGE;
            }
        }

        private static String summary(NodeConfig config) {
            int count = config.server().subnets().size();
            String subnets = config.server().subnets().stream().map(SubnetConfig::toString)
                    .collect(Collectors.joining(", "));
            return "node " + config.node().value() + ", " + count + (count == 1 ? " subnet (" : " subnets (") + subnets
                    + "), transport " + config.transport().type() + " " + config.transport().listenAddress() + ":"
                    + config.transport().listenPort() + ", lease store " + config.leaseStore().type()
                    + config.leaseStore().file().map(file -> " " + file).orElse("");
        }
    }
}
