package dev.dhcpcluster.bootstrap.runtime;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoMap;
import dagger.multibindings.StringKey;
import dev.dhcpcluster.adapter.pcap.PcapDhcpTransport;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.config.TransportSettings;
import dev.dhcpcluster.port.dhcp.DhcpTransport;

/**
 * Registers the raw-frame transport under {@code "transport": {"type": "pcap"}}, which serves the
 * directly attached clients of every interface in {@code transport.interfaces}.
 */
@Module
public final class PcapTransportModule {

    private PcapTransportModule() {
    }

    /**
     * A pcap transport on the configured interfaces and port, its routed socket bound to
     * {@code transport.listen-address}; opens its captures only when started.
     */
    @Provides
    @IntoMap
    @StringKey("pcap")
    static DhcpTransport pcapTransport(NodeConfig config) {
        TransportSettings settings = config.transport();
        return new PcapDhcpTransport(settings.interfaceNames(), settings.listenAddress(), settings.listenPort());
    }
}
