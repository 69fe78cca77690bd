package dev.dhcpcluster.bootstrap.cli;

import dev.dhcpcluster.bootstrap.config.ClusterSettings;
import dev.dhcpcluster.bootstrap.config.ConfigError;
import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.HostCheck;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.config.kea.KeaImport;
import dev.dhcpcluster.bootstrap.config.kea.KeaImportException;
import dev.dhcpcluster.bootstrap.config.kea.KeaNote;
import dev.dhcpcluster.bootstrap.relay.NodeRelayReader;
import dev.dhcpcluster.bootstrap.relay.RelayConfig;
import dev.dhcpcluster.bootstrap.secret.ClusterSecret;
import dev.dhcpcluster.bootstrap.secret.SecretException;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.text.SafeText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dhcpcluster config ...}: works on node files without running a node. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Works on node config files.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.ImportKea.class})
final class ConfigCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: check, import-kea");
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

        @Mixin
        PluginsOption plugins = new PluginsOption();

        @Override
        public Integer call() {
            try {
                NodeConfig config = plugins.loader().load(file);
                Optional<RelayConfig> relay = new NodeRelayReader().load(file, config);
                if (!noHostCheck) {
                    new HostCheck().check(config, file.toString());
                    checkClusterFiles(config);
                    checkRelaySecret(config, relay);
                }
                spec.commandLine().getOut().println("OK: " + file + ": " + summary(config)
                        + relay.map(ConfigCommand.Check::summary).orElse(""));
                return 0;
            } catch (ConfigException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return DhcpclusterCommand.USAGE;
            } catch (CommandFailure e) {
                spec.commandLine().getErr().println(e.getMessage());
                return e.exitCode();
            }
        }

        /**
         * A cluster member's secret, and the files its peer transport reads (the TCP transport's TLS
         * stores), read as {@code run} reads them: each that is missing, open to others or unusable
         * is an error naming its field.
         */
        private void checkClusterFiles(NodeConfig config) throws ConfigException {
            if (config.cluster().isEmpty()) {
                return;
            }
            ClusterSettings cluster = config.cluster().get();
            List<ConfigError> errors = new ArrayList<>();
            try {
                Arrays.fill(ClusterSecret.read(cluster.secretFile()), (byte) 0);
            } catch (SecretException e) {
                errors.add(new ConfigError("cluster.secret-file", e.getMessage()));
            }
            try {
                cluster.transportFactory(config.dataDirectory()).checkHost()
                        .forEach(problem -> errors.add(new ConfigError(problem.path(), problem.message())));
            } catch (IllegalStateException e) {
                errors.add(new ConfigError("cluster.transport", e.getMessage()));
            }
            if (!errors.isEmpty()) {
                throw new ConfigException(file.toString(), errors);
            }
        }

        /**
         * The cluster secret of a {@code relay.cluster} of its own, read as {@code run} reads it (the
         * node's own is checked with the node's cluster section).
         */
        private void checkRelaySecret(NodeConfig config, Optional<RelayConfig> relay) throws ConfigException {
            Optional<Path> secret = relay.flatMap(RelayConfig::cluster).map(RelayConfig.Cluster::secretFile)
                    .filter(path -> config.cluster().map(cluster -> !cluster.secretFile().equals(path)).orElse(true));
            if (secret.isEmpty()) {
                return;
            }
            try {
                Arrays.fill(ClusterSecret.read(secret.get()), (byte) 0);
            } catch (SecretException e) {
                throw new ConfigException(file.toString(), List.of(new ConfigError("relay.cluster.secret-file",
                        e.getMessage())));
            }
        }

        /** {@code , relay from lan1 198.18.64.1 to 2 servers, watching cluster "lab"}. */
        private static String summary(RelayConfig relay) {
            return ", relay from " + relay.settings().interfaces().stream().map(face -> face.name() + " " + face.address())
                    .collect(Collectors.joining(", ")) + " to " + relay.servers().size()
                    + (relay.servers().size() == 1 ? " server" : " servers")
                    + relay.cluster().map(cluster -> ", watching cluster \"" + cluster.name() + "\"").orElse("");
        }

        private static String summary(NodeConfig config) {
            int count = config.server().subnets().size();
            String subnets = config.server().subnets().stream().map(SubnetConfig::toString)
                    .collect(Collectors.joining(", "));
            return "node " + config.node().value() + ", " + count + (count == 1 ? " subnet (" : " subnets (") + subnets
                    + "), transport " + config.transport().describe() + ", lease store " + config.leaseStore().describe()
                    + config.cluster().map(cluster -> ", cluster \"" + cluster.name() + "\" of "
                            + (cluster.peers().size() + 1) + " members").orElse("");
        }
    }

    /**
     * {@code dhcpcluster config import-kea FILE}: converts a Kea DHCPv4 configuration into a node
     * file on standard output; reports on standard error every setting not converted or converted
     * with a change in meaning. Exit 0 when the node file loads, 1 when it was written but the
     * loader still refuses it (the errors follow the notes), 2 when the Kea file cannot be read.
     */
    @Command(name = "import-kea", mixinStandardHelpOptions = true,
            description = {"Converts a Kea DHCPv4 configuration (its Dhcp4 section) into a node file on standard output.",
                "Standard error lists, with its Kea JSON path, every setting that was not converted or that was "
                        + "converted with a change in meaning."})
    static final class ImportKea implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The Kea configuration file, such as /etc/kea/kea-dhcp4.conf.")
        Path file;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            KeaImport.Result result;
            try {
                result = new KeaImport().convert(file);
            } catch (KeaImportException e) {
                err.println(SafeText.inline(e.getMessage()));
                return DhcpclusterCommand.USAGE;
            }
            spec.commandLine().getOut().print(result.nodeFile());
            spec.commandLine().getOut().flush();
            long notConverted = result.notes().stream().filter(note -> note.kind() == KeaNote.Kind.NOT_CONVERTED).count();
            long changed = result.notes().stream().filter(note -> note.kind() == KeaNote.Kind.CHANGED).count();
            result.notes().forEach(note -> err.println(SafeText.inline(note.toString())));
            err.println(file + ": " + notConverted + " not converted, " + changed + " converted with a change");
            if (!result.loadErrors().isEmpty()) {
                err.println("the converted node file does not load yet; edit it where these errors say:");
                result.loadErrors().forEach(error -> err.println("  " + SafeText.inline(error.toString())));
                return DhcpclusterCommand.FAILED;
            }
            return 0;
        }
    }
}
