package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code "admin"} section, resolved: whether the node runs its admin HTTP endpoint, where it
 * listens, and the file holding the bearer token that state-changing requests must present.
 *
 * @param enabled false if the file turns the endpoint off ({@code "admin": {"enabled": false}})
 * @param listenAddress the address the endpoint binds; loopback by default
 * @param listenPort the TCP port; 0 picks a free port (for tests)
 * @param tokenFile the token file, absolute (a relative one is resolved in the data directory)
 */
public record AdminSettings(boolean enabled, Ipv4Address listenAddress, int listenPort, Path tokenFile) {

    /** Where the endpoint listens when the file does not say. */
    public static final String DEFAULT_LISTEN = "127.0.0.1:9067";
    /** The default address, loopback: the endpoint is not reachable from the network unless asked. */
    public static final Ipv4Address DEFAULT_ADDRESS = Ipv4Address.parse("127.0.0.1");
    /** The default TCP port. */
    public static final int DEFAULT_PORT = 9067;
    /** The token file's name, in the data directory, when the file names none. */
    public static final String DEFAULT_TOKEN_FILE = "admin.token";

    public AdminSettings {
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(tokenFile, "tokenFile");
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("admin port must be 0-65535, not " + listenPort);
        }
        if (!tokenFile.isAbsolute()) {
            throw new IllegalArgumentException("the token file must be resolved to an absolute path, not " + tokenFile);
        }
    }

    /** The settings of a node file without an {@code "admin"} section: on, at 127.0.0.1:9067. */
    public static AdminSettings defaults(Path dataDirectory) {
        return new AdminSettings(true, DEFAULT_ADDRESS, DEFAULT_PORT, dataDirectory.resolve(DEFAULT_TOKEN_FILE));
    }

    /** {@code 127.0.0.1:9067}. */
    public String listen() {
        return listenAddress + ":" + listenPort;
    }
}
