package dev.dhcpcluster.bootstrap.cli;

import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.plugin.AdapterCatalog;
import dev.dhcpcluster.bootstrap.plugin.PluginException;
import dev.dhcpcluster.bootstrap.relay.NodeRelayReader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --plugins DIR}: the jars of adapters to load besides those on the class path. A command
 * that reads a node file mixes it in, so that a file naming a plugin's adapter is read the same
 * way by {@code run}, {@code config check} and every other command.
 */
final class PluginsOption {

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "A directory of plugin jars: the DHCP transports, lease stores and peer transports found "
                    + "there (by ServiceLoader) can be named in the config file, as well as those on the class path.")
    Path directory;

    /**
     * A config loader that knows the class path's adapters and the plugins', and reads a node
     * file's {@code relay} section (the relay that {@code run} runs beside the node).
     *
     * @throws CommandFailure if the plugins cannot be loaded
     */
    ConfigLoader loader() throws CommandFailure {
        try {
            return new ConfigLoader(directory == null ? AdapterCatalog.fromClassPath()
                    : AdapterCatalog.withPlugins(directory)).withCompanion(new NodeRelayReader());
        } catch (PluginException e) {
            throw new CommandFailure(DhcpclusterCommand.USAGE, e.getMessage());
        }
    }
}
