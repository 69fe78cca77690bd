package dev.dhcpcluster.port.plugin;

import dev.dhcpcluster.port.dhcp.DhcpTransport;

/**
 * Offers a {@link DhcpTransport} under {@code "transport": {"type": ...}}. The transport section's
 * other fields are the transport's own settings, except {@code client-port} and {@code relay-port},
 * which the node reads itself because its server policy chooses where replies go.
 *
 * <p>Register an implementation in {@code META-INF/services/dev.dhcpcluster.port.plugin.DhcpTransportProvider}.
 */
public interface DhcpTransportProvider extends AdapterProvider<DhcpTransport> {
}
