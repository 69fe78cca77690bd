package dev.dhcpcluster.bootstrap.admin;

import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.core.lease.LeaseQuery;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The query string of {@code GET /leases}, turned into a {@link LeaseQuery}:
 * {@code address}, {@code mac}, {@code client-id}, {@code hostname}, {@code subnet} (CIDR) filter;
 * {@code limit} (default {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}) and {@code after}
 * (the {@code next} of the previous page) page. Anything else is refused, naming the parameter.
 */
public final class LeaseQueries {

    /** Leases per page when the request does not say. */
    public static final int DEFAULT_LIMIT = 100;
    /** The most leases one page may hold. */
    public static final int MAX_LIMIT = 1000;

    static final Set<String> PARAMETERS = Set.of("address", "mac", "client-id", "hostname", "subnet", "limit",
            "after");

    private LeaseQueries() {
    }

    /** The query of a raw (still percent-encoded) query string; null or empty asks for the first page of all. */
    public static LeaseQuery parse(String rawQuery) throws BadRequest {
        Map<String, String> parameters = parameters(rawQuery);
        Optional<Ipv4Address> address = optionalAddress(parameters, "address");
        Optional<HardwareAddress> mac = Optional.empty();
        if (parameters.containsKey("mac")) {
            try {
                mac = Optional.of(HardwareAddress.parseEthernet(parameters.get("mac")));
            } catch (IllegalArgumentException e) {
                throw new BadRequest("mac", e.getMessage());
            }
        }
        Optional<ClientKey> client = Optional.empty();
        if (parameters.containsKey("client-id")) {
            client = Optional.of(clientKey(parameters.get("client-id")));
        }
        Optional<String> hostname = Optional.ofNullable(parameters.get("hostname"));
        if (hostname.isPresent() && hostname.get().isEmpty()) {
            throw new BadRequest("hostname", "empty; give the host name to look for");
        }
        Ipv4Address first = Ipv4Address.ZERO;
        Ipv4Address last = Ipv4Address.BROADCAST;
        if (parameters.containsKey("subnet")) {
            try {
                Ipv4Prefix prefix = Ipv4Prefix.parse(parameters.get("subnet"));
                first = prefix.range().first();
                last = prefix.range().last();
            } catch (IllegalArgumentException e) {
                throw new BadRequest("subnet", e.getMessage());
            }
        }
        int limit = DEFAULT_LIMIT;
        if (parameters.containsKey("limit")) {
            String text = parameters.get("limit");
            try {
                limit = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new BadRequest("limit", quote(text) + " is not a number");
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new BadRequest("limit", limit + " is not 1-" + MAX_LIMIT);
            }
        }
        Optional<Ipv4Address> after = optionalAddress(parameters, "after");
        return new LeaseQuery(address, mac, client, hostname, first, last, after, limit);
    }

    /**
     * A client identity as {@code leases} prints it ({@code id:01:02:03}, {@code hw:01:02:...:06})
     * or a bare client identifier in hex octets ({@code 01:02:03}, as Kea writes {@code client-id}).
     */
    private static ClientKey clientKey(String text) throws BadRequest {
        String hex = text;
        boolean hardware = false;
        if (text.startsWith("id:")) {
            hex = text.substring(3);
        } else if (text.startsWith("hw:")) {
            hex = text.substring(3);
            hardware = true;
        }
        byte[] bytes;
        try {
            bytes = HexFormat.ofDelimiter(":").parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("client-id", quote(text) + " is not hex octets separated by ':' (like id:01:02:03)");
        }
        if (bytes.length == 0 || (hardware && bytes.length < 2)) {
            throw new BadRequest("client-id", quote(text) + " is too short");
        }
        if (hardware) {
            byte[] octets = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, octets, 0, octets.length);
            try {
                return ClientKey.ofHardware(HardwareAddress.of(bytes[0] & 0xff, octets));
            } catch (IllegalArgumentException e) {
                throw new BadRequest("client-id", quote(text) + ": " + e.getMessage());
            }
        }
        return ClientKey.ofClientId(bytes);
    }

    private static Optional<Ipv4Address> optionalAddress(Map<String, String> parameters, String name)
            throws BadRequest {
        String text = parameters.get(name);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Ipv4Address.parse(text));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(name, quote(text) + " is not an IPv4 address");
        }
    }

    /** The name of the first parameter of a raw query string, if it has any. */
    static Optional<String> anyParameter(String rawQuery) throws BadRequest {
        if (rawQuery == null) {
            return Optional.empty();
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (!pair.isEmpty()) {
                int equals = pair.indexOf('=');
                return Optional.of(decode(equals < 0 ? pair : pair.substring(0, equals), "(query)"));
            }
        }
        return Optional.empty();
    }

    /** Each parameter once, decoded; an unknown or repeated one is refused. */
    static Map<String, String> parameters(String rawQuery) throws BadRequest {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), "(query)");
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), name);
            if (!PARAMETERS.contains(name)) {
                throw new BadRequest(name, "unknown parameter; known: address, mac, client-id, hostname, subnet, "
                        + "limit, after");
            }
            if (parameters.put(name, value) != null) {
                throw new BadRequest(name, "given twice");
            }
        }
        return parameters;
    }

    private static String decode(String text, String parameter) throws BadRequest {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(parameter, "bad percent-encoding: " + e.getMessage());
        }
    }

    /** Quoted for a message; the message reaches the client as a JSON string, escaped there. */
    private static String quote(String text) {
        return "\"" + text + "\"";
    }
}
