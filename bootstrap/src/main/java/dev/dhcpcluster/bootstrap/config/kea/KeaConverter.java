package dev.dhcpcluster.bootstrap.config.kea;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.core.dhcp.OptionCatalog;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.core.dhcp.OptionDefinition;
import dev.dhcpcluster.core.dhcp.OptionType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Converts the JSON of a Kea configuration into a node file's JSON. Each Kea object is walked
 * through a {@link KeaObject}; what a method does not take is reported by
 * {@link KeaObject#reportRest}, so every key ends up converted or in the notes.
 *
 * <p>One converter converts one file.
 */
final class KeaConverter {

    /** The node id the import writes; each node of a cluster needs its own. */
    static final int DEFAULT_NODE_ID = 1;
    /** The data directory the import writes: the one the packaged service unit provides. */
    static final String DEFAULT_DATA_DIRECTORY = "/var/lib/dhcpcluster";
    /** The interface named when the Kea file names none that a node could serve. */
    static final String FALLBACK_INTERFACE = "eth0";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final long MAX_SECONDS = 4_294_967_294L;
    private static final List<String> LIFETIME_KEYS =
            List.of("valid-lifetime", "min-valid-lifetime", "max-valid-lifetime", "renew-timer", "rebind-timer");
    /** Options the node computes itself, and where their value comes from instead. */
    private static final Map<Integer, String> MANAGED = Map.ofEntries(
            Map.entry(OptionCode.REQUESTED_ADDRESS, "is sent by clients, never configured"),
            Map.entry(OptionCode.LEASE_TIME, "comes from valid-lifetime"),
            Map.entry(OptionCode.OVERLOAD, "is set by the encoder"),
            Map.entry(OptionCode.MESSAGE_TYPE, "is set by the server for each reply"),
            Map.entry(OptionCode.SERVER_IDENTIFIER, "is set once, globally (Dhcp4.server-identifier)"),
            Map.entry(OptionCode.PARAMETER_REQUEST_LIST, "is sent by clients, never configured"),
            Map.entry(OptionCode.MAX_MESSAGE_SIZE, "is sent by clients, never configured"),
            Map.entry(OptionCode.RENEWAL_TIME, "comes from renew-timer"),
            Map.entry(OptionCode.REBINDING_TIME, "comes from rebind-timer"),
            Map.entry(OptionCode.CLIENT_IDENTIFIER, "is the client's own identity"),
            Map.entry(OptionCode.RELAY_AGENT_INFORMATION, "is added by relays and echoed by the server"));

    private final Notes notes;
    /** Classes converted, by name; pools may refer to these. */
    private final Set<String> classes = new HashSet<>();
    /** Classes made for Kea's built-in VENDOR_CLASS_ classes that pools refer to. */
    private final ArrayNode vendorClasses = JSON.arrayNode();
    private final Map<String, String> interfaces = new HashMap<>();
    private final Map<String, String> relays = new HashMap<>();
    private final List<ConvertedSubnet> subnets = new ArrayList<>();
    /** The global lease-time fields, as Kea's subnets inherit them. */
    private final Map<String, Long> globalTimes = new LinkedHashMap<>();
    private Optional<String> serverIdentifier = Optional.empty();

    /** A subnet written to the node file, with its prefix (for global reservations). */
    private record ConvertedSubnet(ObjectNode json, Ipv4Prefix prefix, String path) {
    }

    /** One converted option, with its code (to merge levels). */
    private record Option(int code, ObjectNode json) {
    }

    /** What a shared network hands down to its subnets. */
    private record Network(String name, List<Option> options, Map<String, Long> times, Optional<ArrayNode> relay,
            Optional<String> interfaceName, Optional<Boolean> authoritative, Optional<String> clientClass) {

        static final Network NONE = new Network(null, List.of(), Map.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    KeaConverter(Notes notes) {
        this.notes = notes;
    }

    /** Converts the root object of a Kea file. */
    ObjectNode convert(JsonNode root, String source) throws KeaImportException {
        if (!root.isObject()) {
            throw new KeaImportException(source + ": is not a JSON object; a Kea configuration is an object holding \"Dhcp4\"");
        }
        JsonNode dhcp4Node = root.get("Dhcp4");
        if (dhcp4Node == null || !dhcp4Node.isObject()) {
            throw new KeaImportException(source + ": has no \"Dhcp4\" object" + (root.isEmpty() ? ""
                    : " (it holds " + String.join(", ", iterable(root.fieldNames())) + ")")
                    + "; only a Kea DHCPv4 configuration can be converted");
        }
        KeaObject top = new KeaObject(root, "");
        top.take("Dhcp4");
        for (String key : top.rest()) {
            notes.notConverted(key, "only the Dhcp4 section is converted");
        }
        top.takeAll();

        KeaObject dhcp4 = new KeaObject(dhcp4Node, "Dhcp4");
        ObjectNode node = JSON.objectNode();
        node.put("id", DEFAULT_NODE_ID);
        node.put("data-directory", DEFAULT_DATA_DIRECTORY);
        notes.note("node", "node id " + DEFAULT_NODE_ID + " and data directory " + DEFAULT_DATA_DIRECTORY
                + " were chosen; give each node of a cluster its own id");
        ObjectNode store = leaseStore(dhcp4);

        ObjectNode server = JSON.objectNode();
        ArrayNode classList = clientClasses(dhcp4);
        List<Option> globalOptions = options(dhcp4, "option-data", true);
        globalScalars(dhcp4, server);
        if (!globalOptions.isEmpty()) {
            server.set("option-data", array(globalOptions));
        }
        ArrayNode subnetList = JSON.arrayNode();
        dhcp4.take("subnet4").ifPresent(list -> eachObject(list, dhcp4.path("subnet4"),
                (subnet, path) -> subnet(subnet, path, Network.NONE).ifPresent(subnetList::add)));
        dhcp4.take("shared-networks").ifPresent(list -> eachObject(list, dhcp4.path("shared-networks"),
                (network, path) -> sharedNetwork(network, path, subnetList)));
        dhcp4.take("reservations").ifPresent(list -> eachObject(list, dhcp4.path("reservations"),
                this::globalReservation));
        classList.addAll(vendorClasses);
        if (!classList.isEmpty()) {
            server.set("client-classes", classList);
        }
        server.set("subnet4", subnetList);
        serverIdentifier.ifPresent(address -> server.put("server-identifier", address));
        reorder(server);
        // The transport comes last: without an interface list, it serves the interfaces the subnets name.
        ObjectNode ordered = JSON.objectNode();
        ordered.set("node", node);
        ordered.set("transport", transport(dhcp4));
        ordered.set("lease-store", store);
        ordered.set("Dhcp4", server);
        dhcp4.reportRest(notes);
        return ordered;
    }

    // ---- global settings

    private void globalScalars(KeaObject dhcp4, ObjectNode server) {
        for (String key : LIFETIME_KEYS) {
            seconds(dhcp4, key).ifPresent(value -> globalTimes.put(key, value));
        }
        if (!globalTimes.containsKey("renew-timer") && !globalTimes.containsKey("rebind-timer")) {
            boolean calculate = dhcp4.peek("calculate-tee-times").map(JsonNode::asBoolean).orElse(false);
            if (!calculate) {
                notes.changed("Dhcp4", "without renew-timer and rebind-timer Kea sends no renewal and rebinding "
                        + "times (options 58, 59); a node sends 0.5 and 0.875 of the lease time");
            }
        }
        checkedTimes(globalTimes, "Dhcp4", 7200).forEach(server::put);
        seconds(dhcp4, "offer-lifetime").ifPresent(value -> server.put("offer-lifetime", Math.max(1, value)));
        seconds(dhcp4, "decline-probation-period").ifPresent(value -> server.put("decline-probation-period", value));
        bool(dhcp4, "authoritative").ifPresent(value -> server.put("authoritative", value));
        teeTimes(dhcp4);
        matchClientId(dhcp4);
    }

    /**
     * Kea's min, valid and max lifetimes and timers of one scope, checked the way the node file
     * checks them; a group that contradicts itself is dropped with a note, leaving the node's
     * defaults.
     */
    private Map<String, Long> checkedTimes(Map<String, Long> times, String path, long defaultValid) {
        Map<String, Long> result = new LinkedHashMap<>(times);
        long valid = result.getOrDefault("valid-lifetime", defaultValid);
        Long min = result.get("min-valid-lifetime");
        Long max = result.get("max-valid-lifetime");
        if ((min != null && min > valid) || (max != null && max < valid)) {
            notes.notConverted(path + ".min-valid-lifetime", "min-valid-lifetime " + min + " and max-valid-lifetime "
                    + max + " do not enclose valid-lifetime " + valid + "; the node grants " + valid + " only");
            result.remove("min-valid-lifetime");
            result.remove("max-valid-lifetime");
        }
        Long renew = result.get("renew-timer");
        Long rebind = result.get("rebind-timer");
        long effectiveRebind = rebind != null ? rebind : valid * 7 / 8;
        boolean renewBad = renew != null && (renew <= 0 || renew >= effectiveRebind || renew >= valid);
        boolean rebindBad = rebind != null && (rebind <= 0 || rebind >= valid || (renew != null && renew >= rebind));
        if (renewBad || rebindBad) {
            notes.changed(path + (renewBad ? ".renew-timer" : ".rebind-timer"), "renew-timer " + renew
                    + " and rebind-timer " + rebind + " do not fit 0 < renew-timer < rebind-timer < valid-lifetime ("
                    + valid + "), which a node requires; it uses 0.5 and 0.875 of the lease time instead");
            result.remove("renew-timer");
            result.remove("rebind-timer");
        }
        return result;
    }

    private void teeTimes(KeaObject scope) {
        scope.take("calculate-tee-times");
        percent(scope, "t1-percent", 0.5);
        percent(scope, "t2-percent", 0.875);
    }

    private void percent(KeaObject scope, String key, double ours) {
        scope.take(key).ifPresent(value -> {
            if (!value.isNumber() || value.asDouble() != ours) {
                notes.changed(scope.path(key), "a node computes absent timers as 0.5 and 0.875 of the lease time, "
                        + "not " + value);
            }
        });
    }

    private void matchClientId(KeaObject scope) {
        scope.take("match-client-id").ifPresent(value -> {
            if (!value.asBoolean(true)) {
                notes.changed(scope.path("match-client-id"), "a node always identifies a client by its client "
                        + "identifier (option 61) when it sends one, as Kea's default true does");
            }
        });
    }

    // ---- transport and lease store

    private ObjectNode transport(KeaObject dhcp4) {
        ObjectNode transport = JSON.objectNode();
        List<String> names = new ArrayList<>();
        boolean wildcard = false;
        String socketType = "raw";
        String listPath = "Dhcp4.interfaces-config.interfaces";
        Optional<JsonNode> config = dhcp4.take("interfaces-config");
        if (config.isPresent() && config.get().isObject()) {
            KeaObject interfacesConfig = new KeaObject(config.get(), dhcp4.path("interfaces-config"));
            Optional<JsonNode> list = interfacesConfig.take("interfaces");
            if (list.isPresent() && list.get().isArray()) {
                for (int i = 0; i < list.get().size(); i++) {
                    String path = listPath + "[" + i + "]";
                    if (!list.get().get(i).isTextual() || list.get().get(i).asText().isBlank()) {
                        notes.notConverted(path, "expected an interface name, found " + list.get().get(i));
                        continue;
                    }
                    String entry = list.get().get(i).asText();
                    if (entry.equals("*")) {
                        wildcard = true;
                        continue;
                    }
                    int slash = entry.indexOf('/');
                    if (slash >= 0) {
                        notes.changed(path, "the address after the interface name (" + entry.substring(slash + 1)
                                + ") is dropped; the node serves the whole interface");
                        entry = entry.substring(0, slash);
                    }
                    if (!names.contains(entry)) {
                        names.add(entry);
                    }
                }
            } else if (list.isPresent()) {
                notes.notConverted(listPath, "expected a list of interface names");
            }
            socketType = interfacesConfig.take("dhcp-socket-type").map(JsonNode::asText).orElse("raw");
            interfacesConfig.reportRest(notes);
        } else if (config.isPresent()) {
            notes.notConverted(dhcp4.path("interfaces-config"), "expected an object");
        }
        if (names.isEmpty()) {
            Set<String> fromSubnets = new LinkedHashSet<>(interfaces.keySet());
            names.addAll(fromSubnets);
            String why = wildcard ? "\"*\" (every interface) cannot be served as such"
                    : "Kea listens on no interface without a list";
            if (names.isEmpty()) {
                names.add(FALLBACK_INTERFACE);
                notes.changed(listPath, why + "; transport.interface is set to \"" + FALLBACK_INTERFACE
                        + "\": change it to the interface whose clients the node serves");
            } else {
                notes.changed(listPath, why + "; the node serves the interfaces its subnets name: "
                        + String.join(", ", names));
            }
        }
        if (names.size() == 1) {
            transport.put("type", "udp");
            transport.put("interface", names.get(0));
            if (socketType.equals("raw")) {
                notes.note("transport", "the udp transport serves \"" + names.get(0) + "\" through a UDP socket; "
                        + "for raw frames, as Kea's default raw socket, use \"type\": \"pcap\" with \"interfaces\"");
            }
        } else {
            transport.put("type", "pcap");
            ArrayNode list = transport.putArray("interfaces");
            names.forEach(list::add);
            notes.note("transport", "several interfaces are served by the pcap transport, which needs CAP_NET_RAW");
        }
        return transport;
    }

    private ObjectNode leaseStore(KeaObject dhcp4) {
        ObjectNode store = JSON.objectNode();
        Optional<JsonNode> database = dhcp4.take("lease-database");
        if (database.isEmpty() || !database.get().isObject()) {
            database.ifPresent(value -> notes.notConverted(dhcp4.path("lease-database"), "expected an object"));
            store.put("type", "sqlite");
            return store;
        }
        KeaObject db = new KeaObject(database.get(), dhcp4.path("lease-database"));
        String type = db.take("type").map(JsonNode::asText).orElse("memfile");
        boolean persist = db.peek("persist").map(JsonNode::asBoolean).orElse(true);
        if (type.equals("memfile") && !persist) {
            db.take("persist");
            store.put("type", "memory");
        } else {
            store.put("type", "sqlite");
            String file = db.peek("name").map(JsonNode::asText).orElse("Kea's lease file (/var/lib/kea/kea-leases4.csv)");
            if (type.equals("memfile")) {
                notes.note(db.path("type"), "memfile became the sqlite lease store in the data directory; "
                        + "the leases in " + file + " are not imported");
            } else {
                notes.changed(db.path("type"), "the " + type + " lease database became the sqlite lease store in the "
                        + "data directory; its leases are not imported");
            }
        }
        db.reportRest(notes);
        return store;
    }

    // ---- client classes

    private ArrayNode clientClasses(KeaObject dhcp4) {
        ArrayNode out = JSON.arrayNode();
        dhcp4.take("client-classes").ifPresent(list -> eachObject(list, dhcp4.path("client-classes"), (entry, path) -> {
            KeaObject kea = new KeaObject(entry, path);
            String name = kea.take("name").map(JsonNode::asText).orElse("");
            Optional<JsonNode> test = kea.take("test");
            if (name.isBlank() || !name.strip().equals(name)) {
                notes.notConverted(path, "a class needs a name without surrounding spaces");
                kea.takeAll();
                return;
            }
            if (test.isEmpty()) {
                notes.notConverted(path, "class \"" + name + "\" has no test; a class needs a condition (classes "
                        + "assigned by hooks, reservations or only-if-required are not supported)");
                kea.takeAll();
                return;
            }
            Optional<ClassExpression.Conditions> conditions = ClassExpression.convert(test.get().asText());
            if (conditions.isEmpty()) {
                notes.notConverted(path, "class \"" + name + "\": the test " + test.get()
                        + " cannot be written with vendor-class-prefix, hw-address-prefix, circuit-id, remote-id "
                        + "and relay-agent-sub-options; pools limited to this class are not converted either");
                kea.takeAll();
                return;
            }
            ObjectNode converted = out.addObject();
            converted.put("name", name);
            converted.setAll(conditions.get().fields());
            conditions.get().changes().forEach(change -> notes.changed(kea.path("test"), change));
            List<Option> options = options(kea, "option-data", false);
            if (!options.isEmpty()) {
                converted.set("option-data", array(options));
            }
            classes.add(name);
            kea.reportRest(notes);
        }));
        return out;
    }

    /**
     * Whether a pool may keep its {@code client-class}: a converted class, or Kea's built-in
     * {@code VENDOR_CLASS_} class (converted to a class of that name on first use).
     */
    private boolean knownClass(String name, String path) {
        if (classes.contains(name)) {
            return true;
        }
        String prefix = "VENDOR_CLASS_";
        String vendor = name.startsWith(prefix) ? name.substring(prefix.length()) : "";
        if (!vendor.isEmpty() && vendor.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                && !vendor.toLowerCase().startsWith("0x")) {
            ObjectNode vendorClass = vendorClasses.addObject();
            vendorClass.put("name", name);
            vendorClass.put("vendor-class-prefix", vendor);
            classes.add(name);
            notes.changed(path, "Kea's built-in class " + name + " (vendor class equal to \"" + vendor
                    + "\") became a class whose vendor class begins with \"" + vendor + "\"");
            return true;
        }
        return false;
    }

    // ---- subnets

    private void sharedNetwork(JsonNode entry, String path, ArrayNode subnetList) {
        KeaObject kea = new KeaObject(entry, path);
        String name = kea.take("name").map(JsonNode::asText).orElse("(unnamed)");
        List<Option> options = options(kea, "option-data", false);
        Map<String, Long> times = new LinkedHashMap<>();
        for (String key : LIFETIME_KEYS) {
            seconds(kea, key).ifPresent(value -> times.put(key, value));
        }
        Optional<ArrayNode> relay = kea.take("relay").flatMap(value -> relayAddresses(value, kea.path("relay")));
        Optional<String> interfaceName = kea.take("interface").map(JsonNode::asText).filter(text -> !text.isBlank());
        Optional<Boolean> authoritative = bool(kea, "authoritative");
        Optional<String> clientClass = kea.take("client-class").map(JsonNode::asText).filter(text -> !text.isEmpty());
        teeTimes(kea);
        matchClientId(kea);
        Network network = new Network(name, options, times, relay, interfaceName, authoritative, clientClass);
        Optional<JsonNode> subnetNodes = kea.take("subnet4");
        int before = subnetList.size();
        subnetNodes.ifPresent(list -> eachObject(list, kea.path("subnet4"),
                (subnet, subnetPath) -> subnet(subnet, subnetPath, network).ifPresent(subnetList::add)));
        notes.changed(path, "shared network \"" + name + "\" was flattened into its " + (subnetList.size() - before)
                + " subnet(s), each with the network's options, lifetimes" + (relay.isPresent() ? ", relay" : "")
                + (interfaceName.isPresent() ? ", interface" : "")
                + "; a client is served from one subnet, never moved to another subnet of the network");
        kea.reportRest(notes);
    }

    private Optional<ObjectNode> subnet(JsonNode entry, String path, Network network) {
        KeaObject kea = new KeaObject(entry, path);
        String text = kea.take("subnet").map(JsonNode::asText).orElse("");
        Ipv4Prefix prefix;
        try {
            prefix = Ipv4Prefix.parse(text.strip());
        } catch (IllegalArgumentException e) {
            notes.notConverted(path, "the subnet " + quote(text) + " is not an IPv4 prefix: " + e.getMessage());
            kea.takeAll();
            return Optional.empty();
        }
        if (prefix.length() < 8 || prefix.length() > 30) {
            notes.notConverted(path, "the subnet " + prefix + " is /" + prefix.length()
                    + "; a node serves subnets of /8 to /30");
            kea.takeAll();
            return Optional.empty();
        }
        for (ConvertedSubnet other : subnets) {
            if (overlap(prefix, other.prefix())) {
                notes.notConverted(path, "the subnet " + prefix + " overlaps " + other.prefix() + " (" + other.path()
                        + "); subnets of a node do not overlap");
                kea.takeAll();
                return Optional.empty();
            }
        }
        ObjectNode out = JSON.objectNode();
        kea.take("id").ifPresent(id -> {
            if (id.isIntegralNumber() && id.asLong() >= 1 && id.asLong() <= MAX_SECONDS) {
                out.put("id", id.asLong());
            } else {
                notes.notConverted(kea.path("id"), id + " is not a subnet id (1-4294967294); the subnet has none");
            }
        });
        out.put("subnet", prefix.toString());
        Optional<String> interfaceName = kea.take("interface").map(JsonNode::asText).filter(name -> !name.isBlank())
                .or(network::interfaceName);
        interfaceName.ifPresent(name -> {
            String previous = interfaces.putIfAbsent(name, path);
            if (previous == null) {
                out.put("interface", name);
            } else {
                notes.changed(kea.path("interface"), "interface \"" + name + "\" is already named by " + previous
                        + " (a node has one subnet per interface); this subnet serves relayed clients, and the "
                        + "clients of the interface whose address lies inside it");
            }
        });
        bool(kea, "authoritative").or(network::authoritative).ifPresent(value -> out.put("authoritative", value));
        Optional<String> subnetClass = kea.take("client-class").map(JsonNode::asText).filter(name -> !name.isEmpty())
                .or(network::clientClass);
        subnetClass.ifPresent(name -> notes.changed(kea.path(), "Kea serves this subnet to class \"" + name
                + "\" only; a node limits its pools to the class instead, and serves its reservations to their clients"));
        ArrayNode pools = JSON.arrayNode();
        kea.take("pools").ifPresent(list -> eachObject(list, kea.path("pools"),
                (pool, poolPath) -> pool(pool, poolPath, prefix, subnetClass).ifPresent(pools::add)));
        if (!pools.isEmpty()) {
            out.set("pools", pools);
        }
        List<Option> options = new ArrayList<>(options(kea, "option-data", false));
        Set<Integer> own = new HashSet<>();
        options.forEach(option -> own.add(option.code()));
        network.options().stream().filter(option -> !own.contains(option.code()))
                .forEach(option -> options.add(new Option(option.code(), option.json().deepCopy())));
        if (!options.isEmpty()) {
            out.set("option-data", array(options));
        }
        ArrayNode reservations = JSON.arrayNode();
        kea.take("reservations").ifPresent(list -> eachObject(list, kea.path("reservations"),
                (reservation, reservationPath) -> reservation(reservation, reservationPath, prefix)
                        .ifPresent(reservations::add)));
        out.set("reservations", reservations);
        Optional<ArrayNode> relay = kea.take("relay").flatMap(value -> relayAddresses(value, kea.path("relay")))
                .or(network::relay);
        relay.ifPresent(addresses -> uniqueRelays(addresses, kea.path("relay")).ifPresent(list -> {
            out.putObject("relay").set("ip-addresses", list);
        }));
        subnetTimes(kea, network, out);
        teeTimes(kea);
        matchClientId(kea);
        kea.reportRest(notes);
        subnets.add(new ConvertedSubnet(out, prefix, path));
        if (reservations.isEmpty()) {
            out.remove("reservations");
        }
        return Optional.of(out);
    }

    /**
     * A subnet's lease times. Kea inherits each field on its own (subnet, then shared network, then
     * global); a node file's subnet that sets any of them sets the group. So when the subnet or its
     * network sets any, the subnet gets every value Kea would use, written out.
     */
    private void subnetTimes(KeaObject kea, Network network, ObjectNode out) {
        Map<String, Long> own = new LinkedHashMap<>();
        for (String key : LIFETIME_KEYS) {
            seconds(kea, key).or(() -> Optional.ofNullable(network.times().get(key)))
                    .ifPresent(value -> own.put(key, value));
        }
        if (own.isEmpty()) {
            return;
        }
        Map<String, Long> effective = new LinkedHashMap<>();
        for (String key : LIFETIME_KEYS) {
            Long value = own.containsKey(key) ? own.get(key) : globalTimes.get(key);
            if (value != null) {
                effective.put(key, value);
            }
        }
        long defaultValid = globalTimes.getOrDefault("valid-lifetime", 7200L);
        effective.putIfAbsent("valid-lifetime", defaultValid);
        checkedTimes(effective, kea.path(), defaultValid).forEach(out::put);
    }

    private Optional<ObjectNode> pool(JsonNode entry, String path, Ipv4Prefix subnet, Optional<String> subnetClass) {
        KeaObject kea = new KeaObject(entry, path);
        String text = kea.take("pool").map(JsonNode::asText).orElse("");
        Optional<String> range = poolRange(text.strip(), subnet, kea.path("pool"));
        if (range.isEmpty()) {
            kea.takeAll();
            return Optional.empty();
        }
        ObjectNode out = JSON.objectNode();
        out.put("pool", range.get());
        Optional<String> poolClass = kea.take("client-class").map(JsonNode::asText).filter(name -> !name.isEmpty())
                .filter(name -> !name.equals("ALL"));
        Optional<String> outerClass = subnetClass.filter(name -> !name.equals("ALL"));
        if (poolClass.isPresent() && outerClass.isPresent() && !poolClass.equals(outerClass)) {
            notes.notConverted(path, "the pool " + range.get() + " is for members of both \"" + outerClass.get()
                    + "\" (its subnet's class) and \"" + poolClass.get() + "\"; a pool names one class");
            kea.takeAll();
            return Optional.empty();
        }
        Optional<String> clientClass = poolClass.or(() -> outerClass);
        if (clientClass.isPresent()) {
            if (!knownClass(clientClass.get(), kea.path("client-class"))) {
                notes.notConverted(path, "the pool " + range.get() + " is limited to class \"" + clientClass.get()
                        + "\", which was not converted; serving it to every client would change who gets its "
                        + "addresses");
                kea.takeAll();
                return Optional.empty();
            }
            out.put("client-class", clientClass.get());
        }
        List<Option> options = options(kea, "option-data", false);
        if (!options.isEmpty()) {
            out.set("option-data", array(options));
        }
        kea.reportRest(notes);
        return Optional.of(out);
    }

    /**
     * A pool as the node file writes it, inside the subnet and without its network and broadcast
     * address (Kea would hand those out from a pool written as the whole subnet; a node does not).
     */
    private Optional<String> poolRange(String text, Ipv4Prefix subnet, String path) {
        long first;
        long last;
        try {
            int dash = text.indexOf('-');
            if (dash >= 0) {
                first = Integer.toUnsignedLong(Ipv4Address.parse(text.substring(0, dash).strip()).value());
                last = Integer.toUnsignedLong(Ipv4Address.parse(text.substring(dash + 1).strip()).value());
            } else {
                Ipv4Prefix prefix = Ipv4Prefix.parse(text);
                first = Integer.toUnsignedLong(prefix.network().value());
                last = first + (1L << (32 - prefix.length())) - 1;
            }
        } catch (IllegalArgumentException e) {
            notes.notConverted(path, quote(text) + " is not a pool (first - last, or a prefix)");
            return Optional.empty();
        }
        long network = Integer.toUnsignedLong(subnet.network().value());
        long broadcast = network + (1L << (32 - subnet.length())) - 1;
        if (first > last || first < network || last > broadcast) {
            notes.notConverted(path, quote(text) + " is not a range inside the subnet " + subnet);
            return Optional.empty();
        }
        long usableFirst = Math.max(first, network + 1);
        long usableLast = Math.min(last, broadcast - 1);
        if (usableFirst > usableLast) {
            notes.notConverted(path, quote(text) + " holds only the subnet's network or broadcast address");
            return Optional.empty();
        }
        String range = address(usableFirst) + " - " + address(usableLast);
        if (usableFirst != first || usableLast != last) {
            notes.changed(path, quote(text) + " became " + range + ": the subnet's network and broadcast "
                    + "addresses are never handed out");
        }
        return Optional.of(range);
    }

    private Optional<ArrayNode> relayAddresses(JsonNode value, String path) {
        if (!value.isObject()) {
            notes.notConverted(path, "expected an object");
            return Optional.empty();
        }
        KeaObject kea = new KeaObject(value, path);
        ArrayNode addresses = JSON.arrayNode();
        // Kea writes "no relay" as 0.0.0.0.
        kea.take("ip-address").map(JsonNode::asText).filter(text -> !text.isBlank() && !text.equals("0.0.0.0"))
                .ifPresent(addresses::add);
        kea.take("ip-addresses").filter(list -> {
            if (!list.isArray()) {
                notes.notConverted(kea.path("ip-addresses"), "expected a list of addresses");
            }
            return list.isArray();
        }).ifPresent(list -> list.forEach(address -> {
            if (!address.asText().equals("0.0.0.0")) {
                addresses.add(address);
            }
        }));
        kea.reportRest(notes);
        return addresses.isEmpty() ? Optional.empty() : Optional.of(addresses);
    }

    /** Relay addresses not yet listed by another subnet: a node selects one subnet per relay address. */
    private Optional<ArrayNode> uniqueRelays(ArrayNode addresses, String path) {
        ArrayNode unique = JSON.arrayNode();
        for (JsonNode address : addresses) {
            String text = address.asText();
            String previous = relays.putIfAbsent(text, path);
            if (previous == null) {
                unique.add(text);
            } else {
                notes.changed(path, "relay address " + text + " is already listed by " + previous
                        + "; a node selects one subnet per relay address, so it stays with that one");
            }
        }
        return unique.isEmpty() ? Optional.empty() : Optional.of(unique);
    }

    // ---- reservations

    private Optional<ObjectNode> reservation(JsonNode entry, String path, Ipv4Prefix subnet) {
        KeaObject kea = new KeaObject(entry, path);
        for (String unsupported : List.of("duid", "flex-id")) {
            if (kea.peek(unsupported).isPresent()) {
                notes.notConverted(path, "a reservation by " + unsupported + " cannot be converted; a node "
                        + "reserves by hw-address, client-id, circuit-id or remote-id");
                kea.takeAll();
                return Optional.empty();
            }
        }
        Optional<String> address = kea.take("ip-address").map(JsonNode::asText);
        if (address.isEmpty()) {
            notes.notConverted(path, "a reservation without ip-address (host name or options only) cannot be "
                    + "converted; a node's reservation reserves an address");
            kea.takeAll();
            return Optional.empty();
        }
        try {
            if (!subnet.contains(Ipv4Address.parse(address.get()))) {
                notes.notConverted(path, address.get() + " is not inside the subnet " + subnet);
                kea.takeAll();
                return Optional.empty();
            }
        } catch (IllegalArgumentException e) {
            notes.notConverted(path, quote(address.get()) + " is not an IPv4 address");
            kea.takeAll();
            return Optional.empty();
        }
        ObjectNode out = JSON.objectNode();
        for (String key : List.of("hw-address", "client-id", "circuit-id", "remote-id")) {
            kea.take(key).map(JsonNode::asText).ifPresent(value -> out.put(key, value));
        }
        out.put("ip-address", address.get());
        kea.take("hostname").map(JsonNode::asText).filter(name -> !name.isBlank())
                .ifPresent(name -> out.put("hostname", name));
        List<Option> options = options(kea, "option-data", false);
        if (!options.isEmpty()) {
            out.set("option-data", array(options));
        }
        kea.reportRest(notes);
        return Optional.of(out);
    }

    private void globalReservation(JsonNode entry, String path) {
        Optional<ConvertedSubnet> home = Optional.empty();
        try {
            Ipv4Address address = Ipv4Address.parse(entry.path("ip-address").asText(""));
            home = subnets.stream().filter(subnet -> subnet.prefix().contains(address)).findFirst();
        } catch (IllegalArgumentException e) {
            // Reported below as a reservation without a usable address.
        }
        if (home.isEmpty()) {
            notes.notConverted(path, "a global reservation is converted into the subnet its ip-address lies in; "
                    + "this one has " + (entry.has("ip-address") ? "no such subnet" : "no ip-address"));
            return;
        }
        ConvertedSubnet subnet = home.get();
        reservation(entry, path, subnet.prefix()).ifPresent(converted -> {
            subnet.json().withArray("reservations").add(converted);
            notes.changed(path, "Kea's global reservation became a reservation of " + subnet.prefix() + " ("
                    + subnet.path() + "), the subnet its address lies in");
        });
    }

    // ---- options

    /**
     * Converts one {@code option-data} list. An entry that a node cannot give the same meaning is
     * reported and left out; {@code global} lets option 54 become {@code Dhcp4.server-identifier}.
     */
    private List<Option> options(KeaObject scope, String key, boolean global) {
        List<Option> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        scope.take(key).ifPresent(list -> eachObject(list, scope.path(key), (entry, path) -> {
            KeaObject kea = new KeaObject(entry, path);
            option(kea, global).ifPresent(option -> {
                if (seen.add(option.code())) {
                    out.add(option);
                } else {
                    notes.notConverted(path, "option " + option.code() + " is already set in this list; a node sends "
                            + "one instance of an option");
                }
            });
            kea.reportRest(notes);
        }));
        return out;
    }

    private Optional<Option> option(KeaObject kea, boolean global) {
        String path = kea.path();
        Optional<String> name = kea.take("name").map(JsonNode::asText);
        Optional<JsonNode> codeNode = kea.take("code");
        String space = kea.take("space").map(JsonNode::asText).orElse("dhcp4");
        Optional<String> data = kea.take("data").map(JsonNode::asText);
        boolean csv = kea.take("csv-format").map(value -> value.asBoolean(true)).orElse(true);
        kea.take("always-send"); // a node sends every configured option, requested or not
        boolean neverSend = kea.take("never-send").map(JsonNode::asBoolean).orElse(false);
        if (!space.equals("dhcp4")) {
            return skip(kea, "option space \"" + space + "\": vendor and encapsulated option spaces are not supported");
        }
        if (neverSend) {
            return skip(kea, "never-send is not supported; a node sends every option it is given");
        }
        Optional<OptionDefinition> definition = name.flatMap(OptionCatalog::byName);
        int code;
        if (name.isPresent() && definition.isEmpty()) {
            if (codeNode.isEmpty() || csv) {
                return skip(kea, "option \"" + name.get() + "\" is not an option a node knows by name; give it by "
                        + "\"code\" with hex \"data\" and \"csv-format\": false");
            }
            code = codeNode.get().asInt();
        } else if (definition.isPresent()) {
            code = definition.get().code();
            if (codeNode.isPresent() && codeNode.get().asInt() != code) {
                return skip(kea, "code " + codeNode.get() + " is not the code of \"" + name.get() + "\" (" + code + ")");
            }
        } else if (codeNode.isPresent() && codeNode.get().canConvertToInt()) {
            code = codeNode.get().asInt();
            definition = OptionCatalog.byCode(code);
        } else {
            return skip(kea, "names neither an option name nor a code");
        }
        if (code <= OptionCode.PAD || code >= OptionCode.END) {
            return skip(kea, code + " is not an option code (1-254)");
        }
        if (data.isEmpty()) {
            return skip(kea, "option " + code + " has no data; a node sends no empty options");
        }
        String value = data.get();
        if (code == OptionCode.SERVER_IDENTIFIER && global) {
            try {
                serverIdentifier = Optional.of(Ipv4Address.parse(value.strip()).toString());
                kea.takeAll();
                notes.note(path, "option 54 became Dhcp4.server-identifier");
            } catch (IllegalArgumentException e) {
                skip(kea, quote(value) + " is not a server identifier address");
            }
            return Optional.empty();
        }
        String managed = MANAGED.get(code);
        if (managed != null) {
            return skip(kea, "option " + code + " cannot be configured on a node: it " + managed);
        }
        if (definition.isEmpty() && csv) {
            return skip(kea, "option " + code + " has no definition a node knows; give its data in hex with "
                    + "\"csv-format\": false");
        }
        if (csv && definition.get().type() == OptionType.STRING) {
            value = value.replace("\\,", ","); // Kea escapes commas in text; the text itself has none escaped
        }
        try {
            if (definition.isPresent()) {
                definition.get().parse(value, csv);
            } else {
                OptionCatalog.parse(code, value, false);
            }
        } catch (IllegalArgumentException e) {
            return skip(kea, e.getMessage());
        }
        ObjectNode out = JSON.objectNode();
        if (definition.isPresent()) {
            out.put("name", definition.get().name());
        } else {
            out.put("code", code);
        }
        out.put("data", value);
        if (!csv) {
            out.put("csv-format", false);
        }
        return Optional.of(new Option(code, out));
    }

    private Optional<Option> skip(KeaObject kea, String reason) {
        notes.notConverted(kea.path(), reason);
        kea.takeAll();
        return Optional.empty();
    }

    // ---- small readers

    private Optional<Long> seconds(KeaObject scope, String key) {
        Optional<JsonNode> value = scope.take(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().isIntegralNumber() || value.get().asLong() < 0 || value.get().asLong() > MAX_SECONDS) {
            notes.notConverted(scope.path(key), value.get() + " is not a whole number of seconds, 0 to " + MAX_SECONDS);
            return Optional.empty();
        }
        if (value.get().asLong() == 0 && !key.equals("decline-probation-period")) {
            notes.notConverted(scope.path(key), "0 is not a lifetime a node accepts; the default is used");
            return Optional.empty();
        }
        return Optional.of(value.get().asLong());
    }

    private Optional<Boolean> bool(KeaObject scope, String key) {
        Optional<JsonNode> value = scope.take(key);
        if (value.isPresent() && !value.get().isBoolean()) {
            notes.notConverted(scope.path(key), "expected true or false, found " + value.get());
            return Optional.empty();
        }
        return value.map(JsonNode::asBoolean);
    }

    /** Calls {@code action} with each object of a JSON array and its path; reports anything else. */
    private void eachObject(JsonNode list, String path, ObjectAction action) {
        if (!list.isArray()) {
            notes.notConverted(path, "expected a list");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            String entryPath = path + "[" + i + "]";
            if (!list.get(i).isObject()) {
                notes.notConverted(entryPath, "expected an object");
                continue;
            }
            action.accept(list.get(i), entryPath);
        }
    }

    @FunctionalInterface
    private interface ObjectAction {
        void accept(JsonNode entry, String path);
    }

    private static ArrayNode array(List<Option> options) {
        ArrayNode array = JSON.arrayNode();
        options.forEach(option -> array.add(option.json()));
        return array;
    }

    /** Puts Dhcp4's fields in the order docs/configuration.md lists them. */
    private static void reorder(ObjectNode server) {
        List<String> order = List.of("server-identifier", "offer-lifetime", "decline-probation-period",
                "valid-lifetime", "min-valid-lifetime", "max-valid-lifetime", "renew-timer", "rebind-timer",
                "authoritative", "option-data", "client-classes", "subnet4");
        ObjectNode copy = server.deepCopy();
        server.removeAll();
        for (String key : order) {
            if (copy.has(key)) {
                server.set(key, copy.get(key));
            }
        }
    }

    private static boolean overlap(Ipv4Prefix a, Ipv4Prefix b) {
        return a.contains(b.network()) || b.contains(a.network());
    }

    private static String address(long value) {
        return Ipv4Address.of((int) value).toString();
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }
}
