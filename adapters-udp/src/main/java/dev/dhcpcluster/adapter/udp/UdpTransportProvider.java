package dev.dhcpcluster.adapter.udp;

import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.plugin.AdapterFactory;
import dev.dhcpcluster.port.plugin.AdapterSettings;
import dev.dhcpcluster.port.plugin.DhcpTransportProvider;
import java.util.Optional;

/**
 * Offers the {@link UdpDhcpTransport} as {@code "transport": {"type": "udp"}}, with the settings
 * {@code listen-address} (default {@code 0.0.0.0}), {@code listen-port} (default 67; 0 lets the
 * system choose) and {@code interface}, which a transport listening on {@code 0.0.0.0} needs.
 */
public final class UdpTransportProvider implements DhcpTransportProvider {

    /** The port a DHCP server listens on. */
    static final int DEFAULT_PORT = 67;

    @Override
    public String type() {
        return "udp";
    }

    @Override
    public AdapterFactory<DhcpTransport> configure(AdapterSettings settings) {
        int before = settings.problems().size();
        Ipv4Address address = settings.address("listen-address").orElse(Ipv4Address.ZERO);
        int port = settings.integer("listen-port", 0, 65535).orElse(DEFAULT_PORT);
        Optional<String> interfaceName = settings.networkInterface("interface");
        if (settings.has("interfaces")) {
            settings.problem("interfaces", "only the pcap transport serves several interfaces; the udp transport serves "
                    + "one, named by " + settings.path() + ".interface");
        }
        if (address.isZero() && interfaceName.isEmpty() && settings.problems().size() == before) {
            settings.problem("interface", "missing; listening on 0.0.0.0 needs the interface whose clients to serve "
                    + "(its address becomes the server's), or listen on one address instead");
        }
        return context -> new UdpDhcpTransport(address, port, interfaceName);
    }
}
