package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.PolicyFixture.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dhcpcluster.core.config.ClassCondition;
import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Options configured at several levels: reservation over pool over subnet over client classes
 * over global, the most specific level winning an option set at several (as in Kea). The probe is
 * option 42 (NTP servers), which the default subnet does not set.
 */
class OptionLevelsTest {

    private static final String MAC = "02:00:00:00:00:01";
    private static final String GLOBAL = "198.18.9.1";
    private static final String CLASS = "198.18.9.2";
    private static final String SUBNET = "198.18.9.3";
    private static final String POOL = "198.18.9.4";
    private static final String RESERVATION = "198.18.9.5";

    private static byte[] ip(String address) {
        return Ipv4Address.parse(address).toBytes();
    }

    private static DhcpOptions ntp(String address) {
        return DhcpOptions.builder().put(OptionCode.NTP_SERVERS, ip(address)).build();
    }

    private static ClassCondition vendorPrefix(String prefix) {
        return new ClassCondition.VendorClassPrefix(Octets.of(prefix.getBytes(StandardCharsets.US_ASCII)));
    }

    private static Optional<Ipv4Address> ntpOf(DhcpMessage reply) {
        return reply.options().address(OptionCode.NTP_SERVERS);
    }

    private static Optional<Ipv4Address> address(String text) {
        return Optional.of(Ipv4Address.parse(text));
    }

    private static DhcpMessage offer(PolicyFixture fixture, TestPackets.Packet discover) {
        return reply(fixture.decide(discover.build()), DhcpMessageType.OFFER);
    }

    @Test
    @DisplayName("#28 a global option reaches a client when no other level sets it")
    void globalOptionIsGiven() {
        PolicyFixture fixture = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().build())
                .globalOption(OptionCode.NTP_SERVERS, ip(GLOBAL)).build());

        assertEquals(address(GLOBAL), ntpOf(offer(fixture, TestPackets.discover())));
    }

    @Test
    @DisplayName("#28 a client class's option ranks above the global one, for members only")
    void classOptionBeatsGlobal() {
        PolicyFixture fixture = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().build())
                .globalOption(OptionCode.NTP_SERVERS, ip(GLOBAL))
                .clientClass("pxe", ntp(CLASS), vendorPrefix("PXEClient")).build());

        assertEquals(address(CLASS), ntpOf(offer(fixture, TestPackets.discover().withVendorClass("PXEClient:Arch:00000"))));
        assertEquals(address(GLOBAL), ntpOf(offer(fixture, TestPackets.discover().withHardwareAddress("02:00:00:00:00:02")
                .withVendorClass("MSFT 5.0"))));
    }

    @Test
    @DisplayName("#28 of two classes setting one option, the one configured first wins")
    void firstClassWins() {
        PolicyFixture fixture = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().build())
                .clientClass("vendor-a", ntp(CLASS), vendorPrefix("A"))
                .clientClass("vendor-ab", ntp(GLOBAL).withDefaults(DhcpOptions.builder()
                        .put(OptionCode.TIME_OFFSET, new byte[] {0, 0, 14, 16}).build()), vendorPrefix("AB"))
                .build());

        DhcpMessage offer = offer(fixture, TestPackets.discover().withVendorClass("ABC"));

        assertEquals(address(CLASS), ntpOf(offer));
        assertEquals(Optional.of(3600L), offer.options().uint32(OptionCode.TIME_OFFSET),
                "the second class still adds what the first does not set");
    }

    @Test
    @DisplayName("#28 the subnet's option ranks above a client class's")
    void subnetOptionBeatsClass() {
        PolicyFixture fixture = new PolicyFixture(TestConfigs.server(
                TestConfigs.subnet().option(OptionCode.NTP_SERVERS, ip(SUBNET)).build())
                .globalOption(OptionCode.NTP_SERVERS, ip(GLOBAL))
                .clientClass("pxe", ntp(CLASS), vendorPrefix("PXEClient")).build());

        assertEquals(address(SUBNET), ntpOf(offer(fixture, TestPackets.discover().withVendorClass("PXEClient"))));
    }

    @Test
    @DisplayName("#28 the options of the pool holding the client's address rank above the subnet's")
    void poolOptionBeatsSubnet() {
        PolicyFixture fixture = new PolicyFixture(TestConfigs.server(TestConfigs.SubnetBuilder.of("198.18.0.0", 24)
                .addPool("198.18.0.10", "198.18.0.19", ntp(POOL))
                .addPool("198.18.0.20", "198.18.0.29", DhcpOptions.empty())
                .option(OptionCode.NTP_SERVERS, ip(SUBNET)).build()).build());

        DhcpMessage inPool = offer(fixture, TestPackets.discover().withRequestedAddress("198.18.0.12"));
        DhcpMessage inOther = offer(fixture, TestPackets.discover().withHardwareAddress("02:00:00:00:00:02")
                .withRequestedAddress("198.18.0.22"));

        assertEquals(Ipv4Address.parse("198.18.0.12"), inPool.yiaddr());
        assertEquals(address(POOL), ntpOf(inPool));
        assertEquals(Ipv4Address.parse("198.18.0.22"), inOther.yiaddr());
        assertEquals(address(SUBNET), ntpOf(inOther));
    }

    @Test
    @DisplayName("#28 a reservation's options rank above its pool's, and the ACK carries them too")
    void reservationOptionBeatsPool() {
        PolicyFixture fixture = new PolicyFixture(TestConfigs.server(TestConfigs.SubnetBuilder.of("198.18.0.0", 24)
                .addPool("198.18.0.10", "198.18.0.19", ntp(POOL))
                .reserveForHardwareWithOptions(MAC, "198.18.0.15", ntp(RESERVATION)).build()).build());

        DhcpMessage offer = offer(fixture, TestPackets.discover().withHardwareAddress(MAC));
        DhcpMessage ack = reply(fixture.decide(TestPackets.request().withHardwareAddress(MAC)
                .withRequestedAddress(offer.yiaddr()).withServerIdentifier(PolicyFixture.LOCAL).build()),
                DhcpMessageType.ACK);

        assertEquals(Ipv4Address.parse("198.18.0.15"), offer.yiaddr());
        assertEquals(address(RESERVATION), ntpOf(offer));
        assertEquals(address(RESERVATION), ntpOf(ack));
    }

    @Test
    @DisplayName("#26 the ACK to an INFORM carries the options of the pool holding ciaddr")
    void informUsesThePoolOfCiaddr() {
        PolicyFixture fixture = new PolicyFixture(TestConfigs.server(TestConfigs.SubnetBuilder.of("198.18.0.0", 24)
                .addPool("198.18.0.10", "198.18.0.19", ntp(POOL))
                .option(OptionCode.NTP_SERVERS, ip(SUBNET)).build())
                .globalOption(OptionCode.TIME_OFFSET, new byte[] {0, 0, 0, 60}).build());

        DhcpMessage inPool = reply(fixture.decide(TestPackets.inform().withCiaddr("198.18.0.13").build()),
                DhcpMessageType.ACK);
        DhcpMessage outside = reply(fixture.decide(TestPackets.inform().withCiaddr("198.18.0.100").build()),
                DhcpMessageType.ACK);

        assertEquals(address(POOL), ntpOf(inPool));
        assertEquals(address(SUBNET), ntpOf(outside));
        assertEquals(Optional.of(60L), outside.options().uint32(OptionCode.TIME_OFFSET), "global options too");
    }

    @Test
    @DisplayName("#28 a level that sets an option another level does not set adds it alongside")
    void levelsAddUp() {
        PolicyFixture fixture = new PolicyFixture(TestConfigs.server(TestConfigs.SubnetBuilder.of("198.18.0.0", 24)
                .addPool("198.18.0.10", "198.18.0.19", ntp(POOL)).build())
                .globalOption(OptionCode.TIME_OFFSET, new byte[] {0, 0, 0, 60}).build());

        DhcpMessage offer = offer(fixture, TestPackets.discover());

        assertEquals(address(POOL), ntpOf(offer));
        assertEquals(Optional.of(60L), offer.options().uint32(OptionCode.TIME_OFFSET));
        assertEquals(Optional.of(Ipv4Address.parse("198.18.0.1")), offer.options().address(OptionCode.ROUTERS),
                "the subnet's router");
    }

    @Test
    @DisplayName("routers named at the pool, class or global level inside the subnet are never handed to clients")
    void routersOfEveryLevelAreNeverGiven() {
        DhcpOptions poolRouter = DhcpOptions.builder().address(OptionCode.ROUTERS, Ipv4Address.parse("198.18.0.11")).build();
        DhcpOptions classRouter = DhcpOptions.builder().address(OptionCode.ROUTERS, Ipv4Address.parse("198.18.0.12")).build();
        PolicyFixture fixture = new PolicyFixture(TestConfigs.server(TestConfigs.SubnetBuilder.of("198.18.0.0", 24)
                .withoutOption(OptionCode.ROUTERS)
                .addPool("198.18.0.10", "198.18.0.19", poolRouter).build())
                .globalOption(OptionCode.ROUTERS, ip("198.18.0.13"))
                .clientClass("pxe", classRouter, vendorPrefix("PXEClient")).build());

        Set<Ipv4Address> given = new HashSet<>();
        for (int n = 1; n <= 20; n++) {
            Decision decision = fixture.decide(TestPackets.discover()
                    .withHardwareAddress(String.format("02:00:00:00:01:%02x", n))
                    .withRequestedAddress("198.18.0." + (10 + n % 4)).build());
            if (decision instanceof Decision.Reply reply) {
                given.add(reply.message().yiaddr());
            }
        }

        assertEquals(7, given.size(), "ten pool addresses less three routers: " + given);
        for (String router : new String[] {"198.18.0.11", "198.18.0.12", "198.18.0.13"}) {
            assertFalse(given.contains(Ipv4Address.parse(router)), router + " was handed out");
        }
    }
}
