package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.core.config.LeaseTimes;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.lease.LeaseTable;
import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A server with the shape of a small production site, already carrying traffic, for the policy
 * fuzz test: two directly attached links, two links behind relays, a reservation, options long
 * enough to need RFC 3396 splitting, a pool small enough to run dry, and a lease table holding a
 * bound, a relayed, an offered, a released and a declined client. Every instance is built the same
 * way from the same virtual time, so a fuzz input always meets the same state.
 *
 * <p>The state comes from ordinary requests decided by the policy itself, not from a hand-made
 * table, so it stays what the policy would really have however the table's insides change.
 */
final class FuzzNetwork {

    /** The server's address on the link the golden packets were captured on (198.18.250.0/24). */
    static final Ipv4Address LAB_SERVER = Ipv4Address.parse("198.18.250.1");
    /** The server's address on the second directly attached link (198.18.0.0/24, ten addresses). */
    static final Ipv4Address OFFICE_SERVER = TestConfigs.SERVER;
    /** A relay serving 198.18.10.0/24 from outside it. */
    static final Ipv4Address BRANCH_RELAY = Ipv4Address.parse("198.18.10.1");
    /** The relay of 198.18.20.0/29, whose pool of two addresses runs dry. */
    static final Ipv4Address KIOSK_RELAY = Ipv4Address.parse("198.18.20.1");
    /** The addresses requests arrive on, in the order the fuzz test tries them. */
    static final List<Ipv4Address> LOCAL_ADDRESSES = List.of(LAB_SERVER, OFFICE_SERVER);

    /** Circuit id "ge-0/0/1" and a six-octet remote id, as a relay agent adds them (RFC 3046). */
    static final byte[] RELAY_AGENT_INFORMATION = {
        1, 8, 'g', 'e', '-', '0', '/', '0', '/', '1',
        2, 6, 2, 0, 0, 0, 0, 9,
    };

    /** The golden dhclient's client identifier (type 1, its Ethernet address). */
    static final String GOLDEN_CLIENT_ID = "01:02:dc:00:00:00:01";

    final ManualClock clock = new ManualClock();
    final ServerConfig config;
    final LeaseTable table;
    final DhcpPolicy policy;

    private FuzzNetwork() {
        config = config();
        table = new LeaseTable(config);
        policy = new DhcpPolicy(config, table);
    }

    /** A new server with the traffic described above already handled. */
    static FuzzNetwork warmedUp() {
        FuzzNetwork network = new FuzzNetwork();
        network.warmUp();
        return network;
    }

    /**
     * Decides about a request as {@link DhcpServer} would at this moment: ended holds expire
     * first, then the policy decides.
     */
    Decision decide(DhcpMessage request, Ipv4Address localAddress) {
        long now = clock.millis();
        table.expire(now);
        return policy.decide(request, localAddress, now);
    }

    private static ServerConfig config() {
        byte[] vendorSpecific = new byte[300]; // longer than one option instance: split on the wire
        for (int i = 0; i < vendorSpecific.length; i++) {
            vendorSpecific[i] = (byte) i;
        }
        byte[] routes = {24, (byte) 198, 18, 30, (byte) 198, 18, (byte) 250, (byte) 254};
        return TestConfigs.server(
                TestConfigs.SubnetBuilder.of("198.18.250.0", 24)
                        .pool("198.18.250.10", "198.18.250.99")
                        .reserveForHardware("02:dc:00:00:00:05", "198.18.250.5", "printer")
                        .option(OptionCode.VENDOR_SPECIFIC, vendorSpecific)
                        .option(OptionCode.CLASSLESS_STATIC_ROUTE, routes)
                        .option(OptionCode.NTP_SERVERS, Ipv4Address.parse("198.18.250.3").toBytes())
                        .build(),
                TestConfigs.subnet().build(),
                TestConfigs.SubnetBuilder.of("198.18.10.0", 24)
                        .pool("198.18.10.10", "198.18.10.200")
                        .relay(BRANCH_RELAY.toString())
                        .build(),
                TestConfigs.SubnetBuilder.of("198.18.20.0", 29)
                        .pool("198.18.20.2", "198.18.20.3")
                        .relay(KIOSK_RELAY.toString())
                        .leaseTimes(LeaseTimes.of(Duration.ofMinutes(2)))
                        .build())
                .serverIdentifier(Optional.empty())
                .maxHops(4)
                .build();
    }

    private void warmUp() {
        // The golden dhclient, bound on the lab link.
        bind(TestPackets.discover().withHardwareAddress("02:dc:00:00:00:01").withClientId(GOLDEN_CLIENT_ID),
                TestPackets.request().withHardwareAddress("02:dc:00:00:00:01").withClientId(GOLDEN_CLIENT_ID),
                LAB_SERVER);
        // A client behind the branch relay, bound, with option 82.
        bind(TestPackets.discover().withGiaddr(BRANCH_RELAY.toString()).withHops(1)
                        .withRelayAgentInformation(RELAY_AGENT_INFORMATION),
                TestPackets.request().withGiaddr(BRANCH_RELAY.toString()).withHops(1)
                        .withRelayAgentInformation(RELAY_AGENT_INFORMATION),
                LAB_SERVER);
        // An office client that was offered an address and has not taken it yet.
        decideAndTick(TestPackets.discover().withHardwareAddress("02:00:00:00:00:02").build(), OFFICE_SERVER);
        // A kiosk client that bound, then released its address.
        Ipv4Address kiosk = bind(TestPackets.discover().withHardwareAddress("02:00:00:00:00:03")
                        .withGiaddr(KIOSK_RELAY.toString()).withHops(1),
                TestPackets.request().withHardwareAddress("02:00:00:00:00:03")
                        .withGiaddr(KIOSK_RELAY.toString()).withHops(1),
                LAB_SERVER);
        decideAndTick(TestPackets.release().withHardwareAddress("02:00:00:00:00:03").withCiaddr(kiosk.toString())
                .withServerIdentifier(LAB_SERVER).build(), LAB_SERVER);
        // A lab client that bound, found its address in use and declined it.
        Ipv4Address declined = bind(TestPackets.discover().withHardwareAddress("02:dc:00:00:00:04"),
                TestPackets.request().withHardwareAddress("02:dc:00:00:00:04"), LAB_SERVER);
        decideAndTick(TestPackets.decline().withHardwareAddress("02:dc:00:00:00:04")
                .withRequestedAddress(declined).withServerIdentifier(LAB_SERVER).build(), LAB_SERVER);
        clock.advance(Duration.ofSeconds(5));
    }

    /** DISCOVER, then REQUEST of the offered address naming this server; the bound address. */
    private Ipv4Address bind(TestPackets.Packet discover, TestPackets.Packet request, Ipv4Address local) {
        Decision offer = decideAndTick(discover.build(), local);
        Ipv4Address address = PolicyFixture.reply(offer, DhcpMessageType.OFFER).yiaddr();
        Decision ack = decideAndTick(request.withRequestedAddress(address).withServerIdentifier(local).build(), local);
        PolicyFixture.reply(ack, DhcpMessageType.ACK);
        return address;
    }

    private Decision decideAndTick(DhcpMessage request, Ipv4Address local) {
        Decision decision = decide(request, local);
        clock.advance(Duration.ofMillis(10));
        return decision;
    }
}
