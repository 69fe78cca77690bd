package dev.dhcpcluster.adapter.pcap;

import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.plugin.AdapterFactory;
import dev.dhcpcluster.port.plugin.AdapterSettings;
import dev.dhcpcluster.port.plugin.DhcpTransportProvider;
import java.util.List;

/**
 * Offers the {@link PcapDhcpTransport} as {@code "transport": {"type": "pcap"}}, which serves the
 * directly attached clients of every interface in {@code interfaces} (required), its routed
 * socket bound to {@code listen-address} (default {@code 0.0.0.0}) and {@code listen-port}
 * (default 67).
 */
public final class PcapTransportProvider implements DhcpTransportProvider {

    @Override
    public String type() {
        return "pcap";
    }

    @Override
    public AdapterFactory<DhcpTransport> configure(AdapterSettings settings) {
        Ipv4Address address = settings.address("listen-address").orElse(Ipv4Address.ZERO);
        int port = settings.integer("listen-port", 0, 65535).orElse(67);
        if (!settings.has("interfaces")) {
            settings.problem("interfaces", "missing; the pcap transport serves the interfaces listed here, as in "
                    + "[\"eth1\", \"eth2\"]");
        }
        List<String> interfaces = settings.networkInterfaces("interfaces");
        if (settings.has("interfaces") && settings.values().get("interfaces") instanceof List<?> listed
                && listed.isEmpty()) {
            settings.problem("interfaces", "empty; list at least one interface");
        }
        settings.string("interface").ifPresent(name -> settings.problem("interface", "the pcap transport serves the "
                + "interfaces listed in " + settings.path() + ".interfaces; list \"" + name + "\" there instead"));
        return context -> new PcapDhcpTransport(interfaces, address, port);
    }
}
