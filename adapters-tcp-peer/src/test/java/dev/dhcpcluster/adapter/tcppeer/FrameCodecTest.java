package dev.dhcpcluster.adapter.tcppeer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.HostNameSent;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AssignmentRecord;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerRefusal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The wire form of frames: every kind round-trips, and whatever is not exactly a frame is malformed. */
class FrameCodecTest {

    private static final CBORMapper CBOR = new CBORMapper();
    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);

    static List<PeerMessage> everyMessage() {
        return List.of(
                new PeerMessage.Election(ONE, 0),
                new PeerMessage.Answer(ONE, 5),
                new PeerMessage.Coordinator(new NodeId(Integer.MAX_VALUE), Long.MAX_VALUE),
                new PeerMessage.Acknowledge(ONE, 6, TWO),
                new PeerMessage.Heartbeat(ONE, 0, Optional.empty(), false),
                new PeerMessage.Heartbeat(ONE, 7, Optional.of(TWO), false),
                new PeerMessage.Heartbeat(ONE, 8, Optional.of(ONE), true),
                new PeerMessage.LeaseChange(ONE, 3, LEASE, Optional.empty()),
                new PeerMessage.LeaseChange(TWO, 3, NAMED_LEASE, Optional.of(REPLACED_LEASE)),
                new PeerMessage.LeaseAck(TWO, 3, LEASE),
                new PeerMessage.LeaseAck(ONE, 4, NAMED_LEASE),
                new PeerMessage.LeaseRefusal(TWO, 3, LEASE, Optional.empty()),
                new PeerMessage.LeaseRefusal(TWO, 3, LEASE,
                        Optional.of(new LeaseVersion(3, 9, new NodeId(3)))),
                new PeerMessage.LeaseCommit(ONE, 4, NAMED_LEASE),
                new PeerMessage.AssignmentReport(ONE, 3, AssignmentRecord.NONE),
                new PeerMessage.AssignmentReport(TWO, 3, assignment()),
                new PeerMessage.AssignmentOffer(TWO, 4, assignment()),
                new PeerMessage.AssignmentAccepted(ONE, 4, 4, 2),
                new PeerMessage.GrantRequest(ONE, 4, -123_456_789L, 4, 2, freeBySubnet()),
                new PeerMessage.GrantRequest(TWO, 4, 0, 0, 0, new TreeMap<>()),
                new PeerMessage.Grant(TWO, 4, Long.MAX_VALUE, 4, 2),
                configOffer(DHCP4_JSON),
                configOffer("{\"subnet4\":[{\"comment\":\"caf\u00e9 \ud83d\ude00\",\"subnet\":\"198.18.0.0/24\"}]}"),
                new PeerMessage.SnapshotRequest(TWO, 4, Optional.empty(), 256),
                new PeerMessage.SnapshotRequest(TWO, 4, Optional.of(Ipv4Address.BROADCAST), 1),
                new PeerMessage.SnapshotPage(ONE, 4, Optional.empty(), List.of(), true),
                new PeerMessage.SnapshotPage(ONE, 4, Optional.of(Ipv4Address.parse("198.18.0.1")),
                        List.of(NAMED_LEASE, LEASE), false));
    }

    /** A leader's {@code Dhcp4} in canonical form, as a node distributes it. */
    private static final String DHCP4_JSON = "{\"subnet4\":[{\"id\":1,\"pools\":[{\"pool\":\"198.18.0.10 - 198.18.0.99\"}],"
            + "\"subnet\":\"198.18.0.0/24\"}],\"valid-lifetime\":3600}";

    private static PeerMessage.ServerConfigOffer configOffer(String json) {
        return new PeerMessage.ServerConfigOffer(TWO, 4, 3, PeerMessage.ServerConfigOffer.sha256(json), json);
    }

    /**
     * A member's free addresses in two subnets, one named by a block at the top of the address space
     * (negative as a signed integer), and a count above what 32 bits hold.
     */
    private static SortedMap<Ipv4Address, Long> freeBySubnet() {
        SortedMap<Ipv4Address, Long> free = new TreeMap<>();
        free.put(Ipv4Address.parse("198.18.0.10"), 512L);
        free.put(Ipv4Address.parse("255.255.255.0"), 1L << 33);
        free.put(Ipv4Address.parse("198.18.64.0"), 0L);
        return free;
    }

    /** An assignment with a block at the top of the address space, whose id is negative as a signed integer. */
    private static AssignmentRecord assignment() {
        SortedMap<Ipv4Address, NodeId> blocks = new TreeMap<>();
        blocks.put(Ipv4Address.parse("198.18.0.0"), ONE);
        blocks.put(Ipv4Address.parse("255.255.255.0"), TWO);
        SortedMap<Integer, NodeId> buckets = new TreeMap<>();
        buckets.put(0, ONE);
        buckets.put(255, TWO);
        return new AssignmentRecord(4, 2, blocks, buckets);
    }

    /** A lease whose client sent a client identifier, with the highest address and a fraction of a second. */
    private static final Lease LEASE = new Lease(Ipv4Address.parse("198.19.255.254"),
            ClientKey.ofClientId(new byte[] {1, 2, 3}), HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, 0, 9}),
            Optional.empty(), LeaseState.BOUND, Instant.ofEpochSecond(1_800_000_000L, 123_456_789),
            new LeaseVersion(3, 1, ONE));

    /** A lease keyed by its hardware address, with a host name and the bytes the client sent, not UTF-8. */
    private static final Lease NAMED_LEASE = new Lease(Ipv4Address.parse("198.18.0.10"),
            ClientKey.ofHardware(HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, 0, 7})),
            HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, 0, 7}), Optional.of("host-7"), LeaseState.RELEASED,
            Instant.ofEpochMilli(1_800_000_000_000L), new LeaseVersion(3, 7, TWO),
            Optional.of(HostNameSent.of(new byte[] {'h', (byte) 0xFF, 'x'})));

    @Test
    @DisplayName("a lease change cut short, with bytes left over, an unknown state, an expiry out of range or node 0 "
            + "is malformed")
    void leaseChangeWithABadLeaseIsRefused() throws Exception {
        byte[] frame = FrameCodec.encode(new Frames.Message(new PeerMessage.LeaseChange(ONE, 3, LEASE, Optional.empty())));
        byte[] body = body(frame);
        assertEquals(LeaseFrames.CHANGE, body[0], "binary, told apart from a CBOR map by its first byte");
        for (int length = 1; length < body.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(body, length);
            assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(cut), "cut to " + length + " bytes");
        }
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(java.util.Arrays.copyOf(body, body.length + 1)));

        // kind, from, epoch, address, client key kind and length, the key, htype, chaddr, no host name
        int state = 1 + 4 + 8 + 4 + 1 + 2 + LEASE.clientKey().bytes().length + 1 + 1
                + LEASE.hardwareAddress().octets().length + 1;
        assertEquals(0, body[state], "BOUND");
        byte[] stolen = body.clone();
        stolen[state] = 9;
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(stolen));
        byte[] forever = body.clone();
        ByteBuffer.wrap(forever).putLong(state + 1, Long.MAX_VALUE);
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(forever));
        byte[] nobody = body.clone();
        ByteBuffer.wrap(nobody).putInt(1, 0);
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(nobody));
    }

    /** The lease {@link #NAMED_LEASE} replaces: another client's, with a host name, at a lower version. */
    private static final Lease REPLACED_LEASE = new Lease(Ipv4Address.parse("198.18.0.10"),
            ClientKey.ofClientId(new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1}), HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, 0, 8}),
            Optional.of("host-8"), LeaseState.BOUND, Instant.ofEpochSecond(1_700_000_000L, 5), new LeaseVersion(2, 6, TWO));

    @Test
    @DisplayName("a lease change carries the lease it replaces in full, and one cut short, with a bad flag, a replaced "
            + "lease of another address or of a version not below the change's is malformed")
    void leaseChangeCarriesTheWholeReplacedLease() throws Exception {
        PeerMessage.LeaseChange change = new PeerMessage.LeaseChange(TWO, 3, NAMED_LEASE, Optional.of(REPLACED_LEASE));
        byte[] body = body(FrameCodec.encode(new Frames.Message(change)));
        assertEquals(change, ((Frames.Message) FrameCodec.decode(body)).message());
        int flag = body(FrameCodec.encode(new Frames.Message(
                new PeerMessage.LeaseChange(TWO, 3, NAMED_LEASE, Optional.empty())))).length - 1;
        assertEquals(1, body[flag], "the replaced lease follows the lease, after its presence flag");
        for (int length = flag + 1; length < body.length; length++) {
            byte[] cut = Arrays.copyOf(body, length);
            assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(cut), "cut to " + length + " bytes");
        }
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(Arrays.copyOf(body, body.length + 1)));

        byte[] badFlag = body.clone();
        badFlag[flag] = 2;
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(badFlag));
        byte[] absent = Arrays.copyOf(body, flag + 1);
        absent[flag] = 0;
        assertEquals(new PeerMessage.LeaseChange(TWO, 3, NAMED_LEASE, Optional.empty()),
                ((Frames.Message) FrameCodec.decode(absent)).message(), "flag 0: no replaced lease, nothing after it");
        byte[] absentButFollowed = body.clone();
        absentButFollowed[flag] = 0;
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(absentButFollowed));

        byte[] elsewhere = body.clone();
        ByteBuffer.wrap(elsewhere).putInt(flag + 1, Ipv4Address.parse("198.18.0.11").value());
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(elsewhere));
        // The replaced lease ends with its version (epoch, counter, writer) and the flag of no bytes sent.
        int version = body.length - 1 - (8 + 8 + 4);
        assertEquals(REPLACED_LEASE.version().epoch(), ByteBuffer.wrap(body).getLong(version));
        byte[] sameVersion = body.clone();
        ByteBuffer.wrap(sameVersion).putLong(version, NAMED_LEASE.version().epoch())
                .putLong(version + 8, NAMED_LEASE.version().counter());
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(sameVersion));
        byte[] otherClient = body.clone();
        // The last octet of the replaced lease's client identifier: still a well-formed change, of another lease.
        int clientEnd = flag + 1 + 4 + 1 + 2 + REPLACED_LEASE.clientKey().bytes().length - 1;
        otherClient[clientEnd] ^= 0x40;
        PeerMessage.LeaseChange decoded = (PeerMessage.LeaseChange) ((Frames.Message) FrameCodec.decode(otherClient))
                .message();
        assertEquals(NAMED_LEASE, decoded.lease());
        assertEquals(REPLACED_LEASE.version(), decoded.replaced().orElseThrow().version());
        assertTrue(!decoded.replaced().orElseThrow().equals(REPLACED_LEASE), "every field of the replaced lease travels");
    }

    @Test
    @DisplayName("a lease change in the CBOR form of protocol version 1 is malformed: version 2 sends it in binary")
    void theCborFormOfALeaseChangeIsGone() throws Exception {
        ObjectNode map = CBOR.createObjectNode().put("type", "lease-change").put("from", 1).put("epoch", 3);
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(CBOR.writeValueAsBytes(map)));
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    @DisplayName("every kind of peer message decodes to the message that was encoded")
    void everyMessageRoundTrips(PeerMessage message) throws Exception {
        byte[] frame = FrameCodec.encode(new Frames.Message(message));

        assertEquals(new Frames.Message(message), FrameCodec.decode(body(frame)));
    }

    @Test
    @DisplayName("a frame is a 4-byte big-endian length, then that many bytes of one CBOR map")
    void prefixIsTheBodyLength() throws Exception {
        byte[] frame = FrameCodec.encode(new Frames.Message(new PeerMessage.Election(ONE, 3)));

        assertEquals(frame.length - 4, ByteBuffer.wrap(frame).getInt());
        ObjectNode map = (ObjectNode) CBOR.readTree(body(frame));
        assertEquals("election", map.get("type").textValue());
        assertEquals(1, map.get("from").intValue());
        assertEquals(3, map.get("epoch").longValue());
        assertEquals(3, map.size(), "type, from and epoch, nothing else");
    }

    @Test
    @DisplayName("the handshake's frames and the heartbeat round-trip")
    void controlFramesRoundTrip() throws Exception {
        byte[] nonce = new byte[Handshake.NONCE_BYTES];
        Arrays.fill(nonce, (byte) 7);
        Frames.Hello hello = (Frames.Hello) FrameCodec.decode(body(FrameCodec.encode(new Frames.Hello(Handshake.PROTOCOL_VERSION, "lab", TWO, nonce))));
        assertEquals("lab", hello.cluster());
        assertEquals(TWO, hello.node());
        assertArrayEquals(nonce, hello.nonce());
        byte[] mac = new byte[Handshake.MAC_BYTES];
        mac[31] = 9;
        assertArrayEquals(mac, ((Frames.Proof) FrameCodec.decode(body(FrameCodec.encode(new Frames.Proof(mac))))).mac());
        assertEquals(new Frames.Accept(), FrameCodec.decode(body(FrameCodec.encode(new Frames.Accept()))));
        assertEquals(new Frames.Refuse(PeerRefusal.CLUSTER_MISMATCH, "x"),
                FrameCodec.decode(body(FrameCodec.encode(new Frames.Refuse(PeerRefusal.CLUSTER_MISMATCH, "x")))));
        assertEquals(new Frames.Ping(-5), FrameCodec.decode(body(FrameCodec.encode(new Frames.Ping(-5)))));
        assertEquals(new Frames.Pong(42), FrameCodec.decode(body(FrameCodec.encode(new Frames.Pong(42)))));
    }

    @Test
    @DisplayName("a hello of another version decodes to that version alone, whatever else it holds")
    void foreignHelloKeepsItsVersion() throws Exception {
        assertEquals(new Frames.ForeignHello(3), FrameCodec.decode(cbor(m -> {
            m.put("type", "hello");
            m.put("version", 3);
            m.put("something", "new");
        })));
    }

    @Test
    @DisplayName("a refusal's detail is cut to 200 characters")
    void longDetailIsCut() throws Exception {
        Frames.Refuse refuse = (Frames.Refuse) FrameCodec.decode(body(FrameCodec.encode(
                new Frames.Refuse(PeerRefusal.UNKNOWN_NODE, "x".repeat(5_000)))));

        assertEquals(FrameCodec.MAX_DETAIL_CHARS, refuse.detail().length());
    }

    @Test
    @DisplayName("a detail is never cut between the halves of a character outside the BMP")
    void cutKeepsSurrogatePairsWhole() throws Exception {
        String detail = "x".repeat(FrameCodec.MAX_DETAIL_CHARS - 1) + "\uD83D\uDE00" + "tail";

        Frames.Refuse refuse = (Frames.Refuse) FrameCodec.decode(body(FrameCodec.encode(
                new Frames.Refuse(PeerRefusal.CLUSTER_MISMATCH, detail))));

        assertEquals("x".repeat(FrameCodec.MAX_DETAIL_CHARS - 1), refuse.detail());
    }

    @Test
    @DisplayName("malformed: an unknown type, a missing, extra or mistyped field, a refused value, trailing bytes")
    void malformedBodiesAreRefused() throws Exception {
        List<byte[]> bodies = List.of(
                cbor(m -> m.put("type", "gossip")),
                cbor(m -> m.put("from", 1)),
                cbor(m -> m.put("type", 3)),
                cbor(m -> election(m).remove("epoch")),
                cbor(m -> election(m).put("extra", 1)),
                cbor(m -> election(m).put("epoch", "3")),
                cbor(m -> election(m).put("epoch", 3.5)),
                cbor(m -> election(m).put("epoch", -1)),
                cbor(m -> election(m).put("from", 0)),
                cbor(m -> election(m).put("from", 1L << 40)),
                cbor(m -> {
                    m.put("type", "heartbeat");
                    m.put("from", 1);
                    m.put("epoch", 0);
                    m.putNull("leader");
                    m.put("leading", true);
                }),
                cbor(m -> {
                    m.put("type", "refuse");
                    m.put("reason", "BECAUSE");
                    m.put("detail", "");
                }),
                cbor(m -> {
                    m.put("type", "proof");
                    m.put("mac", new byte[3]);
                }),
                concat(cbor(FrameCodecTest::election), new byte[] {0}),
                CBOR.writeValueAsBytes(List.of(1, 2)),
                new byte[] {(byte) 0xff, (byte) 0xff, 0x01},
                Arrays.copyOf(cbor(FrameCodecTest::election), 5),
                // A map with the same key twice.
                new byte[] {(byte) 0xa2, 0x61, 'a', 0x01, 0x61, 'a', 0x02});

        for (byte[] body : bodies) {
            MalformedFrameException e = assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(body),
                    () -> "decoded " + Arrays.toString(body));
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        }
    }

    @Test
    @DisplayName("a grant request's free addresses are pairs of a subnet's first block and a count of 0 or more: "
            + "an odd array, a subnet named twice, a negative count or one that is not an integer is malformed")
    void grantRequestFreeAddressesAreStrict() throws Exception {
        byte[] frame = FrameCodec.encode(new Frames.Message(new PeerMessage.GrantRequest(ONE, 4, 7, 4, 2,
                freeBySubnet())));
        ObjectNode map = (ObjectNode) CBOR.readTree(body(frame));
        assertEquals(6, map.get("free").size(), "three subnets, flat pairs");
        List<java.util.function.Consumer<com.fasterxml.jackson.databind.node.ArrayNode>> breaks = List.of(
                free -> free.add(1),
                free -> free.add(free.get(0).deepCopy()).add(3),
                free -> free.set(1, com.fasterxml.jackson.databind.node.LongNode.valueOf(-1)),
                free -> free.set(1, com.fasterxml.jackson.databind.node.TextNode.valueOf("512")),
                free -> free.set(0, com.fasterxml.jackson.databind.node.LongNode.valueOf(1L << 32)),
                free -> free.set(1, com.fasterxml.jackson.databind.node.DoubleNode.valueOf(1.5)));
        for (var broken : breaks) {
            ObjectNode copy = map.deepCopy();
            broken.accept((com.fasterxml.jackson.databind.node.ArrayNode) copy.get("free"));
            assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(CBOR.writeValueAsBytes(copy)),
                    () -> copy.toString());
        }
        ObjectNode total = map.deepCopy();
        total.put("free", 512);
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(CBOR.writeValueAsBytes(total)),
                "a single total in place of the pairs is malformed");
    }

    @Test
    @DisplayName("a snapshot page whose addresses do not ascend above its cursor, or a request for no lease, is malformed")
    void snapshotFramesThatBreakTheirOrderAreRefused() throws Exception {
        byte[] page = FrameCodec.encode(new Frames.Message(new PeerMessage.SnapshotPage(ONE, 4, Optional.empty(),
                List.of(NAMED_LEASE, LEASE), false)));
        ObjectNode map = (ObjectNode) CBOR.readTree(body(page));
        com.fasterxml.jackson.databind.node.ArrayNode leases = (com.fasterxml.jackson.databind.node.ArrayNode) map.get("leases");
        leases.add(leases.get(0).deepCopy());
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(CBOR.writeValueAsBytes(map)),
                "an address listed twice");
        leases.remove(2);
        map.put("after", LEASE.address().toUnsignedLong());
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(CBOR.writeValueAsBytes(map)),
                "addresses at or below the cursor");
        map.putNull("after");
        map.put("last", "yes");
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(CBOR.writeValueAsBytes(map)));

        byte[] request = FrameCodec.encode(new Frames.Message(new PeerMessage.SnapshotRequest(ONE, 4, Optional.empty(), 5)));
        ObjectNode asked = (ObjectNode) CBOR.readTree(body(request));
        asked.put("page-size", 0);
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(CBOR.writeValueAsBytes(asked)));
        asked.put("page-size", 1L << 31);
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(CBOR.writeValueAsBytes(asked)));
    }

    @Test
    @DisplayName("a snapshot page of 256 leases, each with every string at 255 bytes, fits the default frame four times over")
    void aFullPageOfLargestLeasesFitsTheDefaultFrame() throws Exception {
        // 256 is the page size LeaseCatchUp asks for; a DHCP option carries at most 255 octets.
        byte[] big = new byte[255];
        Arrays.fill(big, (byte) 'a');
        List<Lease> leases = new java.util.ArrayList<>();
        for (int i = 0; i < 256; i++) {
            leases.add(new Lease(Ipv4Address.of(0xC6120000 + i), ClientKey.ofClientId(big),
                    HardwareAddress.of(255, Arrays.copyOf(big, HardwareAddress.MAX_LENGTH)),
                    Optional.of("h".repeat(255)), LeaseState.BOUND, Instant.MAX,
                    new LeaseVersion(Long.MAX_VALUE, Long.MAX_VALUE, new NodeId(Integer.MAX_VALUE)),
                    Optional.of(HostNameSent.of(big))));
        }
        PeerMessage.SnapshotPage page = new PeerMessage.SnapshotPage(new NodeId(Integer.MAX_VALUE), Long.MAX_VALUE,
                Optional.of(Ipv4Address.ZERO), leases, false);
        byte[] frame = FrameCodec.encode(new Frames.Message(page));

        assertTrue(frame.length * 4 < TcpPeerTransport.Settings.DEFAULT_MAX_FRAME_BYTES, frame.length + " bytes");
        assertEquals(new Frames.Message(page), FrameCodec.decode(body(frame)));
    }

    @Test
    @DisplayName("a heartbeat without a leader says so with null: leaving the field out is malformed")
    void heartbeatNeedsTheLeaderField() throws Exception {
        byte[] withoutLeader = cbor(m -> {
            m.put("type", "heartbeat");
            m.put("from", 1);
            m.put("epoch", 0);
            m.put("leading", false);
        });

        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(withoutLeader));
        Frame decoded = FrameCodec.decode(cbor(m -> {
            m.put("type", "heartbeat");
            m.put("from", 1);
            m.put("epoch", 0);
            m.putNull("leader");
            m.put("leading", false);
        }));
        assertInstanceOf(Frames.Message.class, decoded);
    }

    @Test
    @DisplayName("a configuration offer whose hash is not its text's, or without its text, is malformed")
    void configOfferMustCarryItsOwnHash() throws Exception {
        byte[] frame = FrameCodec.encode(new Frames.Message(configOffer(DHCP4_JSON)));
        ObjectNode map = (ObjectNode) CBOR.readTree(body(frame));
        map.put("dhcp4", DHCP4_JSON.replace("3600", "7200"));
        MalformedFrameException changed = assertThrows(MalformedFrameException.class,
                () -> FrameCodec.decode(CBOR.writeValueAsBytes(map)));
        assertTrue(changed.getMessage().contains("server-config-offer"), changed.getMessage());
        map.put("dhcp4", DHCP4_JSON);
        map.put("sha256", PeerMessage.ServerConfigOffer.sha256(DHCP4_JSON).toUpperCase(java.util.Locale.ROOT));
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(CBOR.writeValueAsBytes(map)));
        map.put("sha256", PeerMessage.ServerConfigOffer.sha256(DHCP4_JSON));
        map.put("version", 0);
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(CBOR.writeValueAsBytes(map)));
        map.put("version", 3);
        map.remove("dhcp4");
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(CBOR.writeValueAsBytes(map)));
        map.put("dhcp4", DHCP4_JSON.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(CBOR.writeValueAsBytes(map)));
        map.put("dhcp4", DHCP4_JSON);
        assertEquals(new Frames.Message(configOffer(DHCP4_JSON)), FrameCodec.decode(CBOR.writeValueAsBytes(map)));
    }

    @Test
    @DisplayName("a configuration offer's frame is its text's UTF-8 bytes and fewer than 512 more, the room bootstrap leaves")
    void configOfferOverheadIsBounded() {
        String json = "{\"comment\":\"" + "\u00e9".repeat(1000) + "\"}";
        PeerMessage.ServerConfigOffer offer = new PeerMessage.ServerConfigOffer(new NodeId(Integer.MAX_VALUE),
                Long.MAX_VALUE, Long.MAX_VALUE, PeerMessage.ServerConfigOffer.sha256(json), json);

        int body = FrameCodec.encode(new Frames.Message(offer)).length - FrameCodec.PREFIX_BYTES;

        int text = json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertTrue(body > text && body - text < 512, () -> body + " bytes for " + text + " of text");
    }

    private static ObjectNode election(ObjectNode map) {
        map.put("type", "election");
        map.put("from", 1);
        map.put("epoch", 3);
        return map;
    }

    private static byte[] cbor(Consumer<ObjectNode> fill) throws Exception {
        ObjectNode map = CBOR.createObjectNode();
        fill.accept(map);
        return CBOR.writeValueAsBytes(map);
    }

    private static byte[] body(byte[] frame) {
        return Arrays.copyOfRange(frame, 4, frame.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
