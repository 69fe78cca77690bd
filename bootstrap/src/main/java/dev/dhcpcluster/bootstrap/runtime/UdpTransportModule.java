package dev.dhcpcluster.bootstrap.runtime;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoMap;
import dagger.multibindings.StringKey;
import dev.dhcpcluster.adapter.udp.UdpDhcpTransport;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.config.TransportSettings;
import dev.dhcpcluster.port.dhcp.DhcpTransport;

/** Registers the UDP transport under {@code "transport": {"type": "udp"}}. */
@Module
public final class UdpTransportModule {

    private UdpTransportModule() {
    }

    /** A UDP transport on the configured address, port and interface; binds only when started. */
    @Provides
    @IntoMap
    @StringKey("udp")
    static DhcpTransport udpTransport(NodeConfig config) {
        TransportSettings settings = config.transport();
        return new UdpDhcpTransport(settings.listenAddress(), settings.listenPort(), settings.interfaceName());
    }
}
