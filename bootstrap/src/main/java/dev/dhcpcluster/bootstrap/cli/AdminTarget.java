package dev.dhcpcluster.bootstrap.cli;

import dev.dhcpcluster.bootstrap.admin.AdminClient;
import dev.dhcpcluster.bootstrap.admin.AdminToken;
import dev.dhcpcluster.bootstrap.admin.AdminTokenException;
import dev.dhcpcluster.bootstrap.config.AdminSettings;
import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options that say where a running node's admin endpoint is: {@code --admin HOST:PORT}, or
 * the node's own file ({@code --config FILE}, whose {@code admin.listen} says), or by default
 * {@value AdminSettings#DEFAULT_LISTEN}.
 */
final class AdminTarget {

    @Option(names = "--config", paramLabel = "FILE",
            description = "The node's JSON config file: the node is asked at its admin.listen.")
    Path config;

    @Option(names = "--admin", paramLabel = "HOST:PORT",
            description = "The node's admin endpoint (default: admin.listen of --config, else "
                    + AdminSettings.DEFAULT_LISTEN + ").")
    String admin;

    @Mixin
    PluginsOption plugins = new PluginsOption();

    private NodeConfig loaded;

    /** The node file named by {@code --config}, loaded once; empty without {@code --config}. */
    Optional<NodeConfig> nodeConfig() throws CommandFailure {
        if (config == null) {
            return Optional.empty();
        }
        if (loaded == null) {
            try {
                loaded = plugins.loader().load(config);
            } catch (ConfigException e) {
                throw new CommandFailure(DhcpclusterCommand.USAGE, e.getMessage());
            }
        }
        return Optional.of(loaded);
    }

    /**
     * Where to ask: {@code --admin}, else the file's {@code admin.listen} (a node listening on
     * every address is asked on loopback), else the default; empty if no {@code --admin} is given
     * and the file turns the endpoint off or lets the node pick its port (0).
     */
    Optional<String> hostPort() throws CommandFailure {
        if (admin != null) {
            return Optional.of(admin);
        }
        Optional<NodeConfig> node = nodeConfig();
        if (node.isEmpty()) {
            return Optional.of(AdminSettings.DEFAULT_LISTEN);
        }
        AdminSettings settings = node.get().admin();
        if (!settings.enabled() || settings.listenPort() == 0) {
            return Optional.empty();
        }
        String host = settings.listenAddress().isZero() ? "127.0.0.1" : settings.listenAddress().toString();
        return Optional.of(host + ":" + settings.listenPort());
    }

    /** A client of the endpoint, or a failure saying that the file turns it off. */
    AdminClient client(Optional<AdminToken> token) throws CommandFailure {
        Optional<String> where = hostPort();
        if (where.isEmpty()) {
            if (nodeConfig().orElseThrow().admin().enabled()) {
                throw new CommandFailure(DhcpclusterCommand.USAGE, config + ": admin.listen has port 0 (any free "
                        + "port), so only the node knows its port: give it with --admin HOST:PORT");
            }
            throw new CommandFailure(DhcpclusterCommand.FAILED, config + " turns the admin endpoint off "
                    + "(admin.enabled is false); there is no running node to ask");
        }
        return new AdminClient(where.get(), token);
    }

    /**
     * The admin token, from {@code tokenFile} if given, else from the file's
     * {@code admin.token-file}.
     */
    AdminToken token(Path tokenFile) throws CommandFailure {
        Path file = tokenFile;
        if (file == null) {
            Optional<NodeConfig> node = nodeConfig();
            if (node.isEmpty()) {
                throw new CommandFailure(DhcpclusterCommand.USAGE,
                        "this command needs the admin token: give --config FILE or --token-file FILE");
            }
            file = node.get().admin().tokenFile();
        }
        try {
            return AdminToken.read(file, false);
        } catch (AdminTokenException e) {
            throw new CommandFailure(DhcpclusterCommand.FAILED, e.getMessage());
        }
    }
}
