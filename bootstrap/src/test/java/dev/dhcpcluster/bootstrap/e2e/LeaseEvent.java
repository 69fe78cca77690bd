package dev.dhcpcluster.bootstrap.e2e;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One call of a DHCP client's script, as recorded by a {@link LeaseScript}: why it was called and
 * what the client learned from the server.
 *
 * @param reason  the client's reason ({@code BOUND}, {@code RENEW}, ... for dhclient;
 *                {@code bound}, {@code renew}, {@code deconfig}, ... for udhcpc)
 * @param address the leased address, empty when the client has none
 * @param mask    the subnet mask in dotted form
 * @param routers the routers option, space separated
 * @param dns     the domain-name-servers option, space separated
 * @param domain  the domain-name option
 * @param oldAddress the address the client held before this event (dhclient only)
 * @param serverId the server identifier (option 54) of the server that gave the lease
 */
public record LeaseEvent(String reason, String address, String mask, String routers, String dns, String domain,
        String oldAddress, String serverId) {

    /** Parses one line of the script log: tab-separated {@code key=value} fields. */
    static LeaseEvent parse(String line) {
        Map<String, String> fields = new HashMap<>();
        for (String field : line.split("\t")) {
            int equals = field.indexOf('=');
            if (equals > 0) {
                fields.put(field.substring(0, equals), field.substring(equals + 1).strip());
            }
        }
        return new LeaseEvent(fields.getOrDefault("reason", ""), fields.getOrDefault("ip", ""),
                fields.getOrDefault("mask", ""), fields.getOrDefault("routers", ""), fields.getOrDefault("dns", ""),
                fields.getOrDefault("domain", ""), fields.getOrDefault("old", ""),
                fields.getOrDefault("sid", ""));
    }

    /** Returns whether the client called its script for {@code expected} (case-insensitive). */
    public boolean is(String expected) {
        return reason.equalsIgnoreCase(expected);
    }

    /** Returns the routers as a list. */
    public List<String> routerList() {
        return routers.isBlank() ? List.of() : List.of(routers.split("\\s+"));
    }

    /** Returns the name servers as a list. */
    public List<String> dnsList() {
        return dns.isBlank() ? List.of() : List.of(dns.split("\\s+"));
    }
}
