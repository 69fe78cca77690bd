package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a valid node file against the host it is to run on: every interface it names (
 * {@code transport.interface}, {@code transport.interfaces[i]}, {@code Dhcp4.subnet4[i].interface})
 * must exist here. The transport's are those its provider read as interface names
 * ({@link dev.dhcpcluster.port.plugin.AdapterSettings#networkInterface}). {@link ConfigLoader} judges the file alone, so that a file can be written and
 * tested for another host; {@code run} and {@code config check} add this check.
 */
public final class HostCheck {

    /** Tells whether this host has a network interface of a given name. */
    @FunctionalInterface
    public interface Interfaces {
        /**
         * @throws SocketException if the host's interfaces cannot be listed
         */
        boolean exist(String name) throws SocketException;
    }

    private final Interfaces interfaces;

    /** A check against this host's interfaces, as the JDK sees them ({@link NetworkInterface}). */
    public HostCheck() {
        this(name -> NetworkInterface.getByName(name) != null);
    }

    /** A check against the given interfaces. */
    public HostCheck(Interfaces interfaces) {
        this.interfaces = interfaces;
    }

    /**
     * Checks {@code config}, read from {@code source}.
     *
     * @throws ConfigException naming the path of every interface this host does not have
     */
    public void check(NodeConfig config, String source) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        config.transport().interfaces().forEach((path, name) -> require(name, path, errors));
        subnets(config.server(), errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(source, errors);
        }
    }

    /**
     * Checks the interfaces {@code server}'s subnets name ({@code Dhcp4.subnet4[i].interface}): a
     * {@code Dhcp4} section that came without a node file (the leader's).
     *
     * @throws ConfigException naming the path of every interface this host does not have
     */
    public void check(ServerConfig server, String source) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        subnets(server, errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(source, errors);
        }
    }

    private void subnets(ServerConfig server, List<ConfigError> errors) {
        // The resolved subnets keep the order of Dhcp4.subnet4.
        List<SubnetConfig> subnets = server.subnets();
        for (int i = 0; i < subnets.size(); i++) {
            Optional<String> name = subnets.get(i).interfaceName();
            if (name.isPresent()) {
                require(name.get(), "Dhcp4.subnet4[" + i + "].interface", errors);
            }
        }
    }

    private void require(String name, String path, List<ConfigError> errors) {
        try {
            if (!interfaces.exist(name)) {
                errors.add(new ConfigError(path, Syntax.quote(name) + " does not exist on this host"));
            }
        } catch (SocketException e) {
            errors.add(new ConfigError(path, "cannot tell whether " + Syntax.quote(name) + " exists on this host: "
                    + e.getMessage()));
        }
    }
}
