package dev.dhcpcluster.adapter.tcppeer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The wire form of a {@link Frame}: a 4-byte big-endian length, then a CBOR map of that many
 * bytes. The map holds a {@code type} tag and exactly the fields of that type, nothing else. The
 * four messages sent for every lease are the exception: {@link LeaseFrames} writes them in fixed
 * binary fields, told apart by their first byte.
 *
 * <p>The records of the ports stay free of any annotation: the mapping is written out here, field
 * by field, on Jackson's tree model. Decoding is strict, because what it reads comes from the
 * network: an unknown tag, a missing, extra or mistyped field, a value a record refuses, or bytes
 * after the map all make the frame malformed.
 */
final class FrameCodec {

    /** Bytes of the length prefix. */
    static final int PREFIX_BYTES = 4;

    /** A refusal's detail is cut to this many characters: it is a hint for an operator, not a channel. */
    static final int MAX_DETAIL_CHARS = 200;

    private static final CBORMapper MAPPER = CBORMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final ObjectReader READER = MAPPER.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private FrameCodec() {
    }

    /** The frame with its length prefix, ready to be written. */
    static byte[] encode(Frame frame) {
        if (frame instanceof Frames.Message message) {
            byte[] leaseFrame = LeaseFrames.encode(message.message());
            if (leaseFrame != null) {
                return leaseFrame;
            }
        }
        ObjectNode map = MAPPER.createObjectNode();
        // Java 17 has no pattern switch; the families are sealed, so the chains are complete.
        if (frame instanceof Frames.Hello hello) {
            map.put("type", "hello");
            map.put("version", hello.version());
            map.put("cluster", hello.cluster());
            map.put("node", hello.node().value());
            map.put("nonce", hello.nonce());
        } else if (frame instanceof Frames.ObserverHello hello) {
            map.put("type", "hello");
            map.put("version", hello.version());
            map.put("cluster", hello.cluster());
            map.put("observer", hello.observer());
            map.put("nonce", hello.nonce());
        } else if (frame instanceof Frames.Proof proof) {
            map.put("type", "proof");
            map.put("mac", proof.mac());
        } else if (frame instanceof Frames.Accept) {
            map.put("type", "accept");
        } else if (frame instanceof Frames.Refuse refuse) {
            map.put("type", "refuse");
            map.put("reason", refuse.reason().name());
            map.put("detail", cut(refuse.detail()));
        } else if (frame instanceof Frames.Ping ping) {
            map.put("type", "ping");
            map.put("stamp", ping.stamp());
        } else if (frame instanceof Frames.Pong pong) {
            map.put("type", "pong");
            map.put("stamp", pong.stamp());
        } else if (frame instanceof Frames.Message message) {
            encodeMessage(message.message(), map);
        } else {
            throw new IllegalArgumentException("not a frame that is sent: " + frame);
        }
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of numbers, strings and bytes did not encode", e);
        }
        return ByteBuffer.allocate(PREFIX_BYTES + body.length).putInt(body.length).put(body).array();
    }

    /** {@code detail} cut to {@link #MAX_DETAIL_CHARS}, never between the two halves of a surrogate pair. */
    private static String cut(String detail) {
        if (detail.length() <= MAX_DETAIL_CHARS) {
            return detail;
        }
        int end = Character.isHighSurrogate(detail.charAt(MAX_DETAIL_CHARS - 1)) ? MAX_DETAIL_CHARS - 1 : MAX_DETAIL_CHARS;
        return detail.substring(0, end);
    }

    private static void encodeMessage(PeerMessage message, ObjectNode map) {
        if (message instanceof PeerMessage.Election) {
            map.put("type", "election");
        } else if (message instanceof PeerMessage.Answer) {
            map.put("type", "answer");
        } else if (message instanceof PeerMessage.Coordinator) {
            map.put("type", "coordinator");
        } else if (message instanceof PeerMessage.Acknowledge acknowledge) {
            map.put("type", "acknowledge");
            map.put("leader", acknowledge.leader().value());
        } else if (message instanceof PeerMessage.Heartbeat heartbeat) {
            map.put("type", "heartbeat");
            if (heartbeat.leader().isPresent()) {
                map.put("leader", heartbeat.leader().get().value());
            } else {
                map.putNull("leader");
            }
            map.put("leading", heartbeat.leading());
        } else if (message instanceof PeerMessage.AssignmentReport report) {
            map.put("type", "assignment-report");
            map.set("assignment", encodeAssignment(report.accepted()));
        } else if (message instanceof PeerMessage.AssignmentOffer offer) {
            map.put("type", "assignment-offer");
            map.set("assignment", encodeAssignment(offer.assignment()));
        } else if (message instanceof PeerMessage.AssignmentAccepted accepted) {
            map.put("type", "assignment-accepted");
            map.put("assignment-epoch", accepted.assignmentEpoch());
            map.put("sequence", accepted.sequence());
        } else if (message instanceof PeerMessage.GrantRequest request) {
            map.put("type", "grant-request");
            map.put("request-nanos", request.requestNanos());
            map.put("assignment-epoch", request.assignmentEpoch());
            map.put("sequence", request.sequence());
            // Pairs, flat: a subnet's first block (as a signed 32-bit integer), then its free addresses.
            ArrayNode free = map.putArray("free");
            request.freeBySubnet().forEach((subnet, count) -> free.add(subnet.value()).add(count));
        } else if (message instanceof PeerMessage.Grant grant) {
            map.put("type", "grant");
            map.put("request-nanos", grant.requestNanos());
            map.put("assignment-epoch", grant.assignmentEpoch());
            map.put("sequence", grant.sequence());
        } else if (message instanceof PeerMessage.ServerConfigOffer offer) {
            map.put("type", "server-config-offer");
            map.put("version", offer.version());
            map.put("sha256", offer.sha256());
            map.put("dhcp4", offer.dhcp4Json());
        } else if (message instanceof PeerMessage.SnapshotRequest request) {
            map.put("type", "snapshot-request");
            encodeAfter(map, request.after());
            map.put("page-size", request.pageSize());
        } else if (message instanceof PeerMessage.SnapshotPage page) {
            map.put("type", "snapshot-page");
            encodeAfter(map, page.after());
            ArrayNode leases = map.putArray("leases");
            page.leases().forEach(lease -> leases.add(encodeLease(lease)));
            map.put("last", page.last());
        } else if (message instanceof PeerMessage.ObserverView view) {
            map.put("type", "observer-view");
            if (view.leader().isPresent()) {
                map.put("leader", view.leader().get().value());
            } else {
                map.putNull("leader");
            }
            map.put("assignment-epoch", view.assignmentEpoch());
            map.put("sequence", view.sequence());
            ArrayNode buckets = map.putArray("buckets");
            view.buckets().forEach((bucket, holder) -> buckets.add(bucket).add(holder.value()));
            ArrayNode live = map.putArray("live");
            view.live().forEach(node -> live.add(node.value()));
            map.put("heartbeat-nanos", view.heartbeatInterval().toNanos());
            map.put("failure-timeout-nanos", view.failureTimeout().toNanos());
        } else {
            throw new IllegalArgumentException("an unknown kind of peer message: " + message);
        }
        map.put("from", message.from().value());
        map.put("epoch", message.epoch());
    }

    /**
     * The frame in {@code body}, the bytes after a length prefix.
     *
     * @throws MalformedFrameException if it is not exactly one well-formed frame
     */
    static Frame decode(byte[] body) throws MalformedFrameException {
        if (LeaseFrames.isLeaseFrame(body)) {
            return LeaseFrames.decode(body);
        }
        JsonNode root;
        try {
            root = READER.readValue(body);
        } catch (Exception e) {
            // Jackson throws IOExceptions for bad CBOR and runtime exceptions for some limits.
            throw new MalformedFrameException("not a CBOR item: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedFrameException("the body is not a CBOR map");
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            throw new MalformedFrameException("no text field \"type\"");
        }
        try {
            return switch (type.textValue()) {
                case "hello" -> hello(root);
                case "proof" -> new Frames.Proof(fields(root, "mac").bytes("mac"));
                case "accept" -> {
                    fields(root);
                    yield new Frames.Accept();
                }
                case "refuse" -> refuse(fields(root, "reason", "detail"));
                case "ping" -> new Frames.Ping(fields(root, "stamp").longValue("stamp"));
                case "pong" -> new Frames.Pong(fields(root, "stamp").longValue("stamp"));
                case "election" -> {
                    Fields f = fields(root, "from", "epoch");
                    yield new Frames.Message(new PeerMessage.Election(f.node("from"), f.longValue("epoch")));
                }
                case "answer" -> {
                    Fields f = fields(root, "from", "epoch");
                    yield new Frames.Message(new PeerMessage.Answer(f.node("from"), f.longValue("epoch")));
                }
                case "coordinator" -> {
                    Fields f = fields(root, "from", "epoch");
                    yield new Frames.Message(new PeerMessage.Coordinator(f.node("from"), f.longValue("epoch")));
                }
                case "acknowledge" -> {
                    Fields f = fields(root, "from", "epoch", "leader");
                    yield new Frames.Message(new PeerMessage.Acknowledge(f.node("from"), f.longValue("epoch"), f.node("leader")));
                }
                case "heartbeat" -> {
                    Fields f = fields(root, "from", "epoch", "leader", "leading");
                    Optional<NodeId> leader = f.get("leader").isNull() ? Optional.empty() : Optional.of(f.node("leader"));
                    yield new Frames.Message(new PeerMessage.Heartbeat(f.node("from"), f.longValue("epoch"), leader,
                            f.bool("leading")));
                }
                case "assignment-report" -> {
                    Fields f = fields(root, "from", "epoch", "assignment");
                    yield new Frames.Message(new PeerMessage.AssignmentReport(f.node("from"), f.longValue("epoch"),
                            decodeAssignment(f.get("assignment"))));
                }
                case "assignment-offer" -> {
                    Fields f = fields(root, "from", "epoch", "assignment");
                    yield new Frames.Message(new PeerMessage.AssignmentOffer(f.node("from"), f.longValue("epoch"),
                            decodeAssignment(f.get("assignment"))));
                }
                case "assignment-accepted" -> {
                    Fields f = fields(root, "from", "epoch", "assignment-epoch", "sequence");
                    yield new Frames.Message(new PeerMessage.AssignmentAccepted(f.node("from"), f.longValue("epoch"),
                            f.longValue("assignment-epoch"), f.longValue("sequence")));
                }
                case "grant-request" -> {
                    Fields f = fields(root, "from", "epoch", "request-nanos", "assignment-epoch", "sequence", "free");
                    yield new Frames.Message(new PeerMessage.GrantRequest(f.node("from"), f.longValue("epoch"),
                            f.longValue("request-nanos"), f.longValue("assignment-epoch"), f.longValue("sequence"),
                            freeBySubnet(f.get("free"))));
                }
                case "grant" -> {
                    Fields f = fields(root, "from", "epoch", "request-nanos", "assignment-epoch", "sequence");
                    yield new Frames.Message(new PeerMessage.Grant(f.node("from"), f.longValue("epoch"),
                            f.longValue("request-nanos"), f.longValue("assignment-epoch"), f.longValue("sequence")));
                }
                case "server-config-offer" -> {
                    Fields f = fields(root, "from", "epoch", "version", "sha256", "dhcp4");
                    yield new Frames.Message(new PeerMessage.ServerConfigOffer(f.node("from"), f.longValue("epoch"),
                            f.longValue("version"), f.text("sha256"), f.text("dhcp4")));
                }
                case "snapshot-request" -> {
                    Fields f = fields(root, "from", "epoch", "after", "page-size");
                    long pageSize = f.longValue("page-size");
                    if (pageSize < 1 || pageSize > Integer.MAX_VALUE) {
                        throw new MalformedFrameException("a snapshot-request frame with page size " + pageSize);
                    }
                    yield new Frames.Message(new PeerMessage.SnapshotRequest(f.node("from"), f.longValue("epoch"),
                            after(f), (int) pageSize));
                }
                case "snapshot-page" -> {
                    Fields f = fields(root, "from", "epoch", "after", "leases", "last");
                    JsonNode array = f.get("leases");
                    if (!array.isArray()) {
                        throw new MalformedFrameException("\"leases\" of a snapshot-page frame is not an array");
                    }
                    List<Lease> leases = new ArrayList<>(array.size());
                    for (JsonNode lease : array) {
                        leases.add(lease(lease, "snapshot-page"));
                    }
                    yield new Frames.Message(new PeerMessage.SnapshotPage(f.node("from"), f.longValue("epoch"),
                            after(f), leases, f.bool("last")));
                }
                case "observer-view" -> new Frames.Message(observerView(fields(root, "from", "epoch", "leader",
                        "assignment-epoch", "sequence", "buckets", "live", "heartbeat-nanos", "failure-timeout-nanos")));
                default -> throw new MalformedFrameException("unknown frame type \"" + type.textValue() + "\"");
            };
        } catch (IllegalArgumentException e) {
            // A record refused what was decoded: a negative epoch, a node id 0, a leader that disagrees.
            throw new MalformedFrameException("a " + type.textValue() + " frame with values it cannot have: " + e.getMessage(), e);
        }
    }

    /**
     * An assignment as a map: its version, and its holdings as flat arrays of pairs, block id (the
     * first address as a signed 32-bit integer) then holder, and bucket then holder.
     */
    private static ObjectNode encodeAssignment(AssignmentRecord assignment) {
        ObjectNode map = MAPPER.createObjectNode();
        map.put("epoch", assignment.epoch());
        map.put("sequence", assignment.sequence());
        ArrayNode blocks = map.putArray("blocks");
        assignment.blocks().forEach((id, holder) -> blocks.add(id.value()).add(holder.value()));
        ArrayNode buckets = map.putArray("buckets");
        assignment.buckets().forEach((bucket, holder) -> buckets.add(bucket).add(holder.value()));
        return map;
    }

    private static AssignmentRecord decodeAssignment(JsonNode node) throws MalformedFrameException {
        if (node == null || !node.isObject()) {
            throw new MalformedFrameException("\"assignment\" is not a map");
        }
        Set<String> expected = Set.of("epoch", "sequence", "blocks", "buckets");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!expected.contains(name)) {
                throw new MalformedFrameException("an unexpected field \"" + name + "\" in an assignment");
            }
        }
        for (String name : expected) {
            if (!node.has(name)) {
                throw new MalformedFrameException("an assignment without \"" + name + "\"");
            }
        }
        JsonNode epoch = node.get("epoch");
        JsonNode sequence = node.get("sequence");
        if (!epoch.isIntegralNumber() || !epoch.canConvertToLong() || !sequence.isIntegralNumber()
                || !sequence.canConvertToLong()) {
            throw new MalformedFrameException("an assignment whose version is not two integers");
        }
        SortedMap<Ipv4Address, NodeId> blocks = new TreeMap<>();
        for (int[] pair : pairs(node.get("blocks"), "blocks")) {
            if (blocks.put(Ipv4Address.of(pair[0]), new NodeId(pair[1])) != null) {
                throw new MalformedFrameException("an assignment that names block " + Ipv4Address.of(pair[0]) + " twice");
            }
        }
        SortedMap<Integer, NodeId> buckets = new TreeMap<>();
        for (int[] pair : pairs(node.get("buckets"), "buckets")) {
            if (buckets.put(pair[0], new NodeId(pair[1])) != null) {
                throw new MalformedFrameException("an assignment that names bucket " + pair[0] + " twice");
            }
        }
        return new AssignmentRecord(epoch.longValue(), sequence.longValue(), blocks, buckets);
    }

    /** A grant request's free addresses: pairs of a subnet's first block and a count of 0 or more. */
    private static SortedMap<Ipv4Address, Long> freeBySubnet(JsonNode array) throws MalformedFrameException {
        if (!array.isArray() || array.size() % 2 != 0) {
            throw new MalformedFrameException("\"free\" of a grant-request frame is not an array of pairs");
        }
        SortedMap<Ipv4Address, Long> free = new TreeMap<>();
        for (int i = 0; i < array.size(); i += 2) {
            JsonNode subnet = array.get(i);
            JsonNode count = array.get(i + 1);
            if (!subnet.isIntegralNumber() || !subnet.canConvertToInt() || !count.isIntegralNumber()
                    || !count.canConvertToLong() || count.longValue() < 0) {
                throw new MalformedFrameException("\"free\" of a grant-request frame holds something other than "
                        + "a subnet's first block and a count of 0 or more");
            }
            if (free.put(Ipv4Address.of(subnet.intValue()), count.longValue()) != null) {
                throw new MalformedFrameException("a grant-request frame that names subnet "
                        + Ipv4Address.of(subnet.intValue()) + " twice");
            }
        }
        return free;
    }

    /** A flat array of integers read as pairs. */
    private static List<int[]> pairs(JsonNode array, String name) throws MalformedFrameException {
        if (!array.isArray() || array.size() % 2 != 0) {
            throw new MalformedFrameException("\"" + name + "\" of an assignment is not an array of pairs");
        }
        List<int[]> pairs = new ArrayList<>(array.size() / 2);
        for (int i = 0; i < array.size(); i += 2) {
            JsonNode key = array.get(i);
            JsonNode holder = array.get(i + 1);
            if (!key.isIntegralNumber() || !key.canConvertToInt() || !holder.isIntegralNumber()
                    || !holder.canConvertToInt()) {
                throw new MalformedFrameException("\"" + name + "\" of an assignment holds something other than integers");
            }
            pairs.add(new int[] {key.intValue(), holder.intValue()});
        }
        return pairs;
    }

    private static PeerMessage.ObserverView observerView(Fields f) throws MalformedFrameException {
        Optional<NodeId> leader = f.get("leader").isNull() ? Optional.empty() : Optional.of(f.node("leader"));
        SortedMap<Integer, NodeId> buckets = new TreeMap<>();
        JsonNode pairs = f.get("buckets");
        if (!pairs.isArray() || pairs.size() % 2 != 0) {
            throw new MalformedFrameException("\"buckets\" of an observer-view frame is not an array of pairs");
        }
        for (int i = 0; i < pairs.size(); i += 2) {
            int bucket = integer(pairs.get(i), "buckets");
            if (buckets.put(bucket, new NodeId(integer(pairs.get(i + 1), "buckets"))) != null) {
                throw new MalformedFrameException("an observer-view frame that names bucket " + bucket + " twice");
            }
        }
        JsonNode array = f.get("live");
        if (!array.isArray()) {
            throw new MalformedFrameException("\"live\" of an observer-view frame is not an array");
        }
        Set<NodeId> live = new java.util.HashSet<>();
        for (JsonNode node : array) {
            if (!live.add(new NodeId(integer(node, "live")))) {
                throw new MalformedFrameException("an observer-view frame that names a live member twice");
            }
        }
        long heartbeat = f.longValue("heartbeat-nanos");
        long failure = f.longValue("failure-timeout-nanos");
        return new PeerMessage.ObserverView(f.node("from"), f.longValue("epoch"), leader, f.longValue("assignment-epoch"),
                f.longValue("sequence"), buckets, live, java.time.Duration.ofNanos(heartbeat),
                java.time.Duration.ofNanos(failure));
    }

    /** One integer of an observer-view's array. */
    private static int integer(JsonNode node, String name) throws MalformedFrameException {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new MalformedFrameException("\"" + name + "\" of an observer-view frame holds something other than integers");
        }
        return node.intValue();
    }

    private static Frame hello(JsonNode root) throws MalformedFrameException {
        JsonNode version = root.get("version");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt()) {
            throw new MalformedFrameException("a hello without an integer \"version\"");
        }
        if (version.intValue() != Handshake.PROTOCOL_VERSION) {
            return new Frames.ForeignHello(version.intValue());
        }
        if (root.has("observer")) {
            Fields f = fields(root, "version", "cluster", "observer", "nonce");
            return new Frames.ObserverHello(version.intValue(), f.text("cluster"), f.text("observer"), f.bytes("nonce"));
        }
        Fields f = fields(root, "version", "cluster", "node", "nonce");
        return new Frames.Hello(version.intValue(), f.text("cluster"), f.node("node"), f.bytes("nonce"));
    }

    private static Frame refuse(Fields f) throws MalformedFrameException {
        String reason = f.text("reason");
        try {
            return new Frames.Refuse(PeerRefusal.valueOf(reason), f.text("detail"));
        } catch (IllegalArgumentException e) {
            throw new MalformedFrameException("a refusal for an unknown reason \"" + reason + "\"", e);
        }
    }

    /** A lease as a map of exactly its fields; every byte and the expiry to the nanosecond kept. */
    private static ObjectNode encodeLease(Lease lease) {
        ObjectNode map = MAPPER.createObjectNode();
        map.put("address", lease.address().toUnsignedLong());
        map.put("clientKind", lease.clientKey().kind().name());
        map.put("client", lease.clientKey().bytes());
        map.put("htype", lease.hardwareAddress().type());
        map.put("chaddr", lease.hardwareAddress().octets());
        if (lease.hostname().isPresent()) {
            map.put("hostname", lease.hostname().get());
        } else {
            map.putNull("hostname");
        }
        map.put("state", lease.state().name());
        map.put("expirySeconds", lease.expiry().getEpochSecond());
        map.put("expiryNanos", lease.expiry().getNano());
        map.set("version", encodeVersion(lease.version()));
        if (lease.hostnameSent().isPresent()) {
            map.put("hostnameSent", lease.hostnameSent().get().octets());
        } else {
            map.putNull("hostnameSent");
        }
        return map;
    }

    private static ObjectNode encodeVersion(LeaseVersion version) {
        ObjectNode map = MAPPER.createObjectNode();
        map.put("epoch", version.epoch());
        map.put("counter", version.counter());
        map.put("writer", version.writer().value());
        return map;
    }

    private static Lease lease(JsonNode node, String frame) throws MalformedFrameException {
        Fields f = nested(node, frame, "lease", "address", "clientKind", "client", "htype", "chaddr", "hostname",
                "state", "expirySeconds", "expiryNanos", "version", "hostnameSent");
        byte[] client = f.bytes("client");
        ClientKey key;
        try {
            key = switch (ClientKey.Kind.valueOf(f.text("clientKind"))) {
                case CLIENT_ID -> ClientKey.ofClientId(client);
                case HARDWARE -> {
                    if (client.length < 1) {
                        throw new IllegalArgumentException("a hardware client key without its type");
                    }
                    yield ClientKey.ofHardware(HardwareAddress.of(client[0] & 0xFF,
                            java.util.Arrays.copyOfRange(client, 1, client.length)));
                }
            };
        } catch (IllegalArgumentException e) {
            throw new MalformedFrameException("a lease in a " + frame + " frame with a bad client key: " + e.getMessage(), e);
        }
        long htype = f.longValue("htype");
        if (htype < 0 || htype > 255) {
            throw new MalformedFrameException("a lease in a " + frame + " frame with hardware type " + htype);
        }
        long expiryNanos = f.longValue("expiryNanos");
        if (expiryNanos < 0 || expiryNanos > 999_999_999) {
            throw new MalformedFrameException("a lease in a " + frame + " frame with " + expiryNanos + " nanoseconds");
        }
        Optional<String> hostname = f.get("hostname").isNull() ? Optional.empty() : Optional.of(f.text("hostname"));
        Optional<HostNameSent> sent = f.get("hostnameSent").isNull() ? Optional.empty()
                : Optional.of(HostNameSent.of(f.bytes("hostnameSent")));
        Instant expiry;
        try {
            expiry = Instant.ofEpochSecond(f.longValue("expirySeconds"), expiryNanos);
        } catch (java.time.DateTimeException e) {
            throw new MalformedFrameException("a lease in a " + frame + " frame with an expiry out of range", e);
        }
        return new Lease(address(f, "address"), key, HardwareAddress.of((int) htype, f.bytes("chaddr")), hostname,
                LeaseState.valueOf(f.text("state")), expiry, version(f.get("version"), frame), sent);
    }

    /** A snapshot cursor: the address as an unsigned integer, or null for the first page. */
    private static void encodeAfter(ObjectNode map, Optional<Ipv4Address> after) {
        if (after.isPresent()) {
            map.put("after", after.get().toUnsignedLong());
        } else {
            map.putNull("after");
        }
    }

    private static Optional<Ipv4Address> after(Fields f) throws MalformedFrameException {
        return f.get("after").isNull() ? Optional.empty() : Optional.of(address(f, "after"));
    }

    private static LeaseVersion version(JsonNode node, String frame) throws MalformedFrameException {
        Fields f = nested(node, frame, "version", "epoch", "counter", "writer");
        return new LeaseVersion(f.longValue("epoch"), f.longValue("counter"), f.node("writer"));
    }

    private static Ipv4Address address(Fields f, String name) throws MalformedFrameException {
        long value = f.longValue(name);
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new MalformedFrameException("\"" + name + "\" is not an IPv4 address: " + value);
        }
        return Ipv4Address.of((int) value);
    }

    /** A map nested in a frame, once checked to hold exactly {@code names}; its errors name the frame. */
    private static Fields nested(JsonNode node, String frame, String what, String... names)
            throws MalformedFrameException {
        if (node == null || !node.isObject()) {
            throw new MalformedFrameException("\"" + what + "\" of a " + frame + " frame is not a map");
        }
        Set<String> expected = Set.of(names);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!expected.contains(name)) {
                throw new MalformedFrameException("an unexpected field \"" + name + "\" in the " + what + " of a "
                        + frame + " frame");
            }
        }
        for (String name : names) {
            if (!node.has(name)) {
                throw new MalformedFrameException("the " + what + " of a " + frame + " frame without \"" + name + "\"");
            }
        }
        ObjectNode named = node.deepCopy();
        named.put("type", what + " of a " + frame);
        return new Fields(named);
    }

    /** The map's fields, once checked to be {@code type} and exactly {@code names}. */
    private static Fields fields(JsonNode root, String... names) throws MalformedFrameException {
        Set<String> expected = Set.of(names);
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("type") && !expected.contains(name)) {
                throw new MalformedFrameException("an unexpected field \"" + name + "\" in a " + root.get("type").textValue() + " frame");
            }
        }
        for (String name : names) {
            if (!root.has(name)) {
                throw new MalformedFrameException("a " + root.get("type").textValue() + " frame without \"" + name + "\"");
            }
        }
        return new Fields(root);
    }

    /** Typed access to the fields of a checked map; a value of the wrong type is malformed. */
    private record Fields(JsonNode root) {

        JsonNode get(String name) {
            return root.get(name);
        }

        long longValue(String name) throws MalformedFrameException {
            JsonNode node = root.get(name);
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw wrongType(name, "an integer");
            }
            return node.longValue();
        }

        NodeId node(String name) throws MalformedFrameException {
            JsonNode node = root.get(name);
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw wrongType(name, "a node id");
            }
            return new NodeId(node.intValue());
        }

        String text(String name) throws MalformedFrameException {
            JsonNode node = root.get(name);
            if (!node.isTextual()) {
                throw wrongType(name, "text");
            }
            return node.textValue();
        }

        byte[] bytes(String name) throws MalformedFrameException {
            JsonNode node = root.get(name);
            if (!node.isBinary()) {
                throw wrongType(name, "a byte string");
            }
            try {
                return node.binaryValue();
            } catch (java.io.IOException e) {
                throw new MalformedFrameException("\"" + name + "\" is not a byte string", e);
            }
        }

        boolean bool(String name) throws MalformedFrameException {
            JsonNode node = root.get(name);
            if (!node.isBoolean()) {
                throw wrongType(name, "a boolean");
            }
            return node.booleanValue();
        }

        private MalformedFrameException wrongType(String name, String what) {
            return new MalformedFrameException("\"" + name + "\" of a " + root.get("type").textValue() + " frame is not " + what);
        }
    }
}
