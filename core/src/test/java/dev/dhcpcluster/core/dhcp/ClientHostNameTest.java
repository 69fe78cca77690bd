package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.PolicyFixture.reply;
import static dev.dhcpcluster.core.dhcp.TestPackets.discover;
import static dev.dhcpcluster.core.dhcp.TestPackets.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.dhcpcluster.core.testing.ControlledLeaseStore;
import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.ManualScheduler;
import dev.dhcpcluster.core.testing.RecordingEvents;
import dev.dhcpcluster.core.testing.RecordingTransport;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HostNameSent;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which host name a REQUEST gets stored with its lease: option 81, else 12, and only a valid DNS name. */
class ClientHostNameTest {

    private static final String MAC = "02:00:00:00:00:01";
    private static final String FORGED_LINE = "x\n2030-01-01 INFO fake: node stopped";

    private final PolicyFixture fixture = new PolicyFixture();

    /** DISCOVER, then a SELECTING REQUEST built by {@code extra}; the ACK decision. */
    private Decision.ReplyWhenDurable bind(java.util.function.UnaryOperator<TestPackets.Packet> extra) {
        Ipv4Address offered = reply(fixture.decide(discover().withHardwareAddress(MAC).build()), DhcpMessageType.OFFER)
                .yiaddr();
        Decision decision = fixture.decide(extra.apply(request().withHardwareAddress(MAC).withRequestedAddress(offered)
                .withServerIdentifier(TestConfigs.SERVER.toString())).build());
        Decision.ReplyWhenDurable ack = assertInstanceOf(Decision.ReplyWhenDurable.class, decision);
        assertEquals(DhcpMessageType.ACK, ack.reply().type(), "the request is served whatever its host name");
        return ack;
    }

    /** Option 81: flags, two RCODE octets, then the name as given. */
    private static byte[] fqdn(int flags, byte[] name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(flags);
        out.write(0);
        out.write(0);
        out.writeBytes(name);
        return out.toByteArray();
    }

    /** A name in the canonical wire format: length-prefixed labels, then the root label if {@code full}. */
    private static byte[] wire(boolean full, String... labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String label : labels) {
            byte[] bytes = label.getBytes(StandardCharsets.ISO_8859_1);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        if (full) {
            out.write(0);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {FORGED_LINE, "two words", "\u001b[31mred", "my_pc", "caf\u00e9", "-edge"})
    @DisplayName("bug 3: a REQUEST whose option 12 is not a DNS name is ACKed, the lease has no host name")
    void invalidOption12IsNotStored(String name) {
        Decision.ReplyWhenDurable ack = bind(p -> p.withHostName(name));

        assertEquals(Optional.empty(), ack.binding().hostname());
        ClientHostName refused = ack.refusedHostname().orElseThrow();
        assertEquals(OptionCode.HOST_NAME, refused.option());
        assertEquals(new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1), refused.name(),
                "the refused name is the client's octets, for the operator to see escaped");
    }

    @ParameterizedTest
    @ValueSource(strings = {FORGED_LINE, "two words", "\u001b[31mred", "my_pc", "caf\u00e9", "-edge"})
    @DisplayName("bug 3: the lease keeps a refused option 12 exactly as the client sent it")
    void refusedOption12IsKeptAsSent(String name) {
        Lease binding = bind(p -> p.withHostName(name)).binding();

        assertEquals(Optional.empty(), binding.hostname());
        assertEquals(Optional.of(HostNameSent.of(name.getBytes(StandardCharsets.UTF_8))), binding.hostnameSent());
    }

    @Test
    @DisplayName("bug 3: a valid option 12 is kept as sent too, trailing NUL and dot included")
    void validOption12IsKeptAsSent() {
        byte[] value = "laptop.example.com.\0".getBytes(StandardCharsets.US_ASCII);

        Lease binding = bind(p -> p.withOption(OptionCode.HOST_NAME, value)).binding();

        assertEquals(Optional.of("laptop.example.com"), binding.hostname());
        assertEquals(Optional.of(HostNameSent.of(value)), binding.hostnameSent());
    }

    @Test
    @DisplayName("bug 3: option 81's name is kept as sent: its text in the wire format, its octets in ASCII")
    void option81IsKeptAsSent() {
        Lease forged = bind(p -> p.withOption(OptionCode.CLIENT_FQDN, fqdn(0x04, wire(true, "x\n2030-01-01 INFO fake"))))
                .binding();
        assertEquals(Optional.empty(), forged.hostname());
        assertEquals(Optional.of(HostNameSent.ofLatin1("x\n2030-01-01 INFO fake.")), forged.hostnameSent(),
                "a fully qualified name keeps its final dot");

        Lease partial = bind(p -> p.withOption(OptionCode.CLIENT_FQDN, fqdn(0x04, wire(false, "laptop", "lab"))))
                .binding();
        assertEquals(Optional.of("laptop.lab"), partial.hostname());
        assertEquals(Optional.of(HostNameSent.ofLatin1("laptop.lab")), partial.hostnameSent());

        byte[] ascii = "bad\u001bname\0".getBytes(StandardCharsets.ISO_8859_1);
        Lease inAscii = bind(p -> p.withOption(OptionCode.CLIENT_FQDN, fqdn(0x00, ascii))).binding();
        assertEquals(Optional.empty(), inAscii.hostname());
        assertEquals(Optional.of(HostNameSent.of(ascii)), inAscii.hostnameSent());
    }

    @Test
    @DisplayName("bug 3: an option 81 whose wire format cannot be read is kept as its wire octets")
    void brokenOption81IsKeptAsItsOctets() {
        byte[] name = {(byte) 0xC0, 0x03};

        Lease binding = bind(p -> p.withHostName("from-12").withOption(OptionCode.CLIENT_FQDN, fqdn(0x04, name)))
                .binding();

        assertEquals(Optional.of(HostNameSent.of(name)), binding.hostnameSent());
    }

    @Test
    @DisplayName("a renewal without a host name leaves the lease with none sent: the lease says what the latest REQUEST said")
    void renewalWithoutANameForgetsTheSentName() {
        Lease first = bind(p -> p.withHostName("laptop")).binding();
        assertEquals(Optional.of(HostNameSent.ofLatin1("laptop")), first.hostnameSent());

        Decision renewal = fixture.decide(request().withHardwareAddress(MAC).withCiaddr(first.address().toString())
                .build());

        Lease renewed = assertInstanceOf(Decision.ReplyWhenDurable.class, renewal).binding();
        assertEquals(Optional.empty(), renewed.hostname());
        assertEquals(Optional.empty(), renewed.hostnameSent());
    }

    @Test
    @DisplayName("a valid option 12 is stored; its trailing NULs and trailing dot are dropped")
    void validOption12IsStored() {
        assertEquals(Optional.of("laptop"), bind(p -> p.withHostName("laptop")).binding().hostname());
        assertEquals(Optional.of("laptop.example.com"),
                bind(p -> p.withOption(OptionCode.HOST_NAME, "laptop.example.com.\0".getBytes(StandardCharsets.US_ASCII)))
                        .binding().hostname());
        assertEquals(Optional.empty(), bind(p -> p.withHostName("laptop")).refusedHostname());
    }

    @Test
    @DisplayName("RFC 4702: option 81 in the canonical wire format (E flag) is stored, fully qualified or partial")
    void option81WireFormatIsStored() {
        assertEquals(Optional.of("laptop.example.com"),
                bind(p -> p.withOption(OptionCode.CLIENT_FQDN, fqdn(0x05, wire(true, "laptop", "example", "com"))))
                        .binding().hostname());
        assertEquals(Optional.of("laptop"),
                bind(p -> p.withOption(OptionCode.CLIENT_FQDN, fqdn(0x04, wire(false, "laptop"))))
                        .binding().hostname());
    }

    @Test
    @DisplayName("RFC 4702: option 81 in ASCII (no E flag) is stored")
    void option81AsciiIsStored() {
        assertEquals(Optional.of("laptop.example.com"),
                bind(p -> p.withOption(OptionCode.CLIENT_FQDN,
                        fqdn(0x01, "laptop.example.com.".getBytes(StandardCharsets.US_ASCII)))).binding().hostname());
    }

    @Test
    @DisplayName("option 81 wins over option 12, as in Kea, even when 81's name is refused")
    void option81WinsOverOption12() {
        assertEquals(Optional.of("from-fqdn"), bind(p -> p.withHostName("from-12")
                .withOption(OptionCode.CLIENT_FQDN, fqdn(0x04, wire(true, "from-fqdn")))).binding().hostname());

        Decision.ReplyWhenDurable ack = bind(p -> p.withHostName("from-12")
                .withOption(OptionCode.CLIENT_FQDN, fqdn(0x04, wire(true, "bad name"))));
        assertEquals(Optional.empty(), ack.binding().hostname());
        assertEquals(new ClientHostName(OptionCode.CLIENT_FQDN, "bad name", false, HostNameSent.ofLatin1("bad name.")),
                ack.refusedHostname().orElseThrow());
    }

    @Test
    @DisplayName("an option 81 with an empty name leaves the choice to option 12")
    void emptyOption81FallsBackToOption12() {
        assertEquals(Optional.of("from-12"), bind(p -> p.withHostName("from-12")
                .withOption(OptionCode.CLIENT_FQDN, fqdn(0x04, new byte[] {0}))).binding().hostname());
        assertEquals(Optional.of("from-12"), bind(p -> p.withHostName("from-12")
                .withOption(OptionCode.CLIENT_FQDN, fqdn(0x00, new byte[0]))).binding().hostname());
    }

    @Test
    @DisplayName("an option 81 with a broken wire format, a dot inside a label, or under three octets is refused")
    void brokenOption81IsRefused() {
        List<byte[]> broken = List.of(
                fqdn(0x04, new byte[] {(byte) 0xC0, 0x03}),                  // compression pointer
                fqdn(0x04, new byte[] {10, 'a', 'b'}),                       // label runs past the end
                fqdn(0x04, concat(wire(true, "a"), wire(true, "b"))),       // octets after the root label
                fqdn(0x04, wire(true, "a.b")),                               // a dot inside one label
                fqdn(0x04, wire(true, "x\n2030-01-01 INFO fake")),
                new byte[] {0x04, 0});
        for (byte[] value : broken) {
            Decision.ReplyWhenDurable ack = bind(p -> p.withHostName("from-12").withOption(OptionCode.CLIENT_FQDN, value));
            assertEquals(Optional.empty(), ack.binding().hostname());
            assertEquals(OptionCode.CLIENT_FQDN, ack.refusedHostname().orElseThrow().option());
        }
    }

    @Test
    @DisplayName("a reservation's host name is stored and the client's own name is not judged")
    void reservedNameWins() {
        PolicyFixture reserved = new PolicyFixture(TestConfigs.server(TestConfigs.subnet()
                .reserveForHardware(MAC, "198.18.0.50", "printer").build()).build());
        Ipv4Address address = Ipv4Address.parse("198.18.0.50");

        Decision decision = reserved.decide(request().withHardwareAddress(MAC).withRequestedAddress(address)
                .withServerIdentifier(TestConfigs.SERVER.toString()).withHostName(FORGED_LINE).build());

        Decision.ReplyWhenDurable ack = assertInstanceOf(Decision.ReplyWhenDurable.class, decision);
        assertEquals(Optional.of("printer"), ack.binding().hostname());
        assertEquals(Optional.empty(), ack.refusedHostname());
        assertEquals(Optional.of(HostNameSent.ofLatin1(FORGED_LINE)), ack.binding().hostnameSent(),
                "what the client sent is kept even when the reserved name wins");
    }

    @Test
    @DisplayName("the server reports a refused host name through ClusterEvents and still sends the ACK")
    void serverReportsTheRefusal() throws Exception {
        ManualClock clock = new ManualClock();
        ManualScheduler scheduler = new ManualScheduler(clock);
        RecordingTransport transport = new RecordingTransport();
        RecordingEvents events = new RecordingEvents();
        ControlledLeaseStore store = new ControlledLeaseStore(ControlledLeaseStore.Mode.IMMEDIATE);
        DhcpServer server = new DhcpServer(TestConfigs.server(TestConfigs.subnet().build()).build(), transport, store,
                clock, scheduler, events);
        server.load(List.of());
        server.handle(datagram(discover().withHardwareAddress(MAC).encode()));
        scheduler.runDue();
        Ipv4Address offered = DhcpCodec.decode(transport.last().payload()).yiaddr();

        server.handle(datagram(request().withHardwareAddress(MAC).withRequestedAddress(offered)
                .withServerIdentifier(TestConfigs.SERVER.toString()).withHostName(FORGED_LINE).encode()));
        scheduler.runDue();

        assertEquals(Optional.of(DhcpMessageType.ACK), DhcpCodec.decode(transport.last().payload()).messageType());
        assertEquals(List.of(new RecordingEvents.RefusedHostname(OptionCode.HOST_NAME, FORGED_LINE)),
                events.refusedHostnames());
        Lease stored = store.storedAt(offered);
        assertEquals(Optional.empty(), stored.hostname());
        assertEquals(Optional.of(HostNameSent.ofLatin1(FORGED_LINE)), stored.hostnameSent(),
                "the store is given the octets the client sent");
    }

    private static Datagram datagram(byte[] payload) {
        return new Datagram(payload, Ipv4Address.ZERO, 68, TestConfigs.SERVER, Optional.empty());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
