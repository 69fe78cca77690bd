package dev.dhcpcluster.benchmarks;

import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.core.config.LeaseTimes;
import dev.dhcpcluster.core.config.PoolConfig;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.dhcp.Decision;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.DhcpPolicy;
import dev.dhcpcluster.core.dhcp.MalformedPacketException;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.core.lease.LeaseTable;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One DHCPDISCOVER through the server: decode the datagram, let the policy choose an address and
 * hold it, encode the DHCPOFFER. The clients take turns, one millisecond of virtual time apart,
 * and expired offers are swept as the server sweeps them, so the pool stays at a steady state.
 */
@State(Scope.Thread)
public class DiscoverRoundTripBenchmark extends BenchmarkBase {

    private static final Ipv4Address LOCAL = Ipv4Address.parse("198.18.0.2");

    /** How many different clients send DISCOVERs in turn; each comes back to the address it was offered. */
    @Param({"1", "4096"})
    public int clients;

    private LeaseTable table;
    private DhcpPolicy policy;
    private byte[][] discovers;
    private int next;
    private long now;

    @Setup(Level.Trial)
    public void start() {
        DhcpOptions options = DhcpOptions.builder()
                .address(OptionCode.ROUTERS, Ipv4Address.parse("198.18.0.1"))
                .address(OptionCode.DOMAIN_NAME_SERVERS, Ipv4Address.parse("198.18.0.3"))
                .string(OptionCode.DOMAIN_NAME, "example.test")
                .build();
        SubnetConfig subnet = new SubnetConfig(Ipv4Address.parse("198.18.0.0"), 15,
                List.of(PoolConfig.of(new AddressRange(Ipv4Address.parse("198.18.0.10"),
                        Ipv4Address.parse("198.19.255.250")))),
                List.of(), options, LeaseTimes.of(Duration.ofHours(1)), List.of(), Optional.empty(), false);
        ServerConfig config = new ServerConfig(new NodeId(1), List.of(subnet), DhcpOptions.empty(), List.of(),
                Optional.of(LOCAL),
                ServerConfig.DEFAULT_OFFER_HOLD, ServerConfig.DEFAULT_DECLINE_PROBATION, ServerConfig.DEFAULT_MAX_HOPS,
                ServerConfig.DEFAULT_CLIENT_PORT, ServerConfig.DEFAULT_RELAY_PORT);
        table = new LeaseTable(config);
        table.load(List.of(), 0);
        policy = new DhcpPolicy(config, table);
        discovers = new byte[clients][];
        for (int i = 0; i < clients; i++) {
            discovers[i] = DhcpCodec.encode(discover(i), DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
        }
        now = 1_000_000_000L;
    }

    /** A DISCOVER as a typical client sends it: client identifier, host name and a parameter request list. */
    private static DhcpMessage discover(int client) {
        byte[] mac = {2, 0, 0, (byte) (client >>> 16), (byte) (client >>> 8), (byte) client};
        byte[] clientId = {1, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]};
        DhcpOptions options = DhcpOptions.builder()
                .messageType(DhcpMessageType.DISCOVER)
                .put(OptionCode.CLIENT_IDENTIFIER, clientId)
                .string(OptionCode.HOST_NAME, "host-" + client)
                .put(OptionCode.PARAMETER_REQUEST_LIST, new byte[] {1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42})
                .build();
        return DhcpMessage.builder().xid(client).flags(DhcpMessage.FLAG_BROADCAST)
                .hardwareAddress(HardwareAddress.ethernet(mac)).options(options).build();
    }

    @Benchmark
    public byte[] discoverToOffer() throws MalformedPacketException {
        byte[] datagram = discovers[next];
        next = next + 1 == clients ? 0 : next + 1;
        now++;
        table.expire(now);
        DhcpMessage request = DhcpCodec.decode(datagram);
        Decision.Reply offer = (Decision.Reply) policy.decide(request, LOCAL, Optional.empty(), now);
        return DhcpCodec.encode(offer.message(), offer.maxLength());
    }
}
