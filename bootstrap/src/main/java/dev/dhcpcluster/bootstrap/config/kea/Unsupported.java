package dev.dhcpcluster.bootstrap.config.kea;

import java.util.Map;

/**
 * Why a Kea setting has no place in a node file. Keys not listed here get a general reason, so a
 * key added to Kea after this table was written is still reported, never dropped.
 */
final class Unsupported {

    private static final String BOOT_FIELDS = "the server fills no BOOTP header fields (siaddr, sname, file); "
            + "give boot servers and files as options (tftp-server-name, boot-file-name) instead";

    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("hooks-libraries", "hooks are not supported"),
            Map.entry("control-socket", "there is no Kea control channel; a node is stopped, reloaded and watched "
                    + "with signals and the dhcpcluster command"),
            Map.entry("loggers", "logging is set on the command line (--log-level), not in the node file"),
            Map.entry("dhcp-ddns", "DNS updates (DDNS) are not supported"),
            Map.entry("expired-leases-processing", "the lease store removes expired leases itself "
                    + "(lease-store.expired-retention)"),
            Map.entry("host-reservation-identifiers", "reservations are matched by hw-address, client-id, circuit-id "
                    + "and remote-id; the order cannot be changed"),
            Map.entry("hosts-database", "reservations are read from the node file only"),
            Map.entry("hosts-databases", "reservations are read from the node file only"),
            Map.entry("config-control", "configuration backends are not supported; the node file is the configuration"),
            Map.entry("sanity-checks", "lease sanity checks cannot be configured"),
            Map.entry("multi-threading", "a node serves requests on one event-loop thread; nothing to configure"),
            Map.entry("dhcp-queue-control", "the packet queue cannot be configured"),
            Map.entry("option-def", "custom option definitions are not supported; give such options by code "
                    + "with hex data"),
            Map.entry("next-server", BOOT_FIELDS),
            Map.entry("server-hostname", BOOT_FIELDS),
            Map.entry("boot-file-name", BOOT_FIELDS),
            Map.entry("echo-client-id", "the client identifier is always echoed (RFC 6842)"),
            Map.entry("dhcp4o6-port", "DHCPv4-over-DHCPv6 is not supported"),
            Map.entry("store-extended-info", "extended lease information is not stored"),
            Map.entry("server-tag", "there are no server tags (no configuration backend)"),
            Map.entry("parked-packet-limit", "there are no parked packets (no hooks)"),
            Map.entry("require-client-classes", "classes evaluated late (only-if-required) are not supported"),
            Map.entry("only-if-required", "classes evaluated late (only-if-required) are not supported"),
            Map.entry("compatibility", "Kea's compatibility switches have no equivalent"),
            Map.entry("ip-reservations-unique", "an address is reserved once per subnet, always"),
            Map.entry("early-global-reservations-lookup", "there are no global reservations"),
            Map.entry("user-context", "user context is Kea's own data; it is not kept"),
            Map.entry("comment", "comments are not kept"),
            Map.entry("lease-database", "leases are kept in the lease store"),
            Map.entry("host-reservation-identifiers4", "reservations are matched by hw-address, client-id, circuit-id "
                    + "and remote-id"),
            Map.entry("client-class", "a subnet or shared network cannot be limited to a class; only pools can"),
            Map.entry("valid-lifetime", "lifetimes are set globally or per subnet"),
            Map.entry("min-valid-lifetime", "lifetimes are set globally or per subnet"),
            Map.entry("max-valid-lifetime", "lifetimes are set globally or per subnet"),
            Map.entry("offer-lifetime", "offer-lifetime is set globally only"),
            Map.entry("statistic-default-sample-count", "statistics are exported as metrics, not sampled"),
            Map.entry("statistic-default-sample-age", "statistics are exported as metrics, not sampled"),
            Map.entry("client-classes", "a reservation cannot put its client in classes"),
            Map.entry("allocator", "the allocator cannot be chosen"),
            Map.entry("decline-probation-period", "decline-probation-period is set globally only"));

    private Unsupported() {
    }

    /** The reason a key cannot be converted, for the report. */
    static String reason(String key) {
        String reason = REASONS.get(key);
        if (reason != null) {
            return reason;
        }
        if (key.startsWith("ddns-") || key.startsWith("hostname-char-")) {
            return "DNS updates (DDNS) and host name rewriting are not supported";
        }
        if (key.startsWith("reservations-") || key.equals("reservation-mode")) {
            return "reservations are always looked up in the client's subnet, in or out of pools";
        }
        if (key.startsWith("4o6-")) {
            return "DHCPv4-over-DHCPv6 is not supported";
        }
        if (key.startsWith("cache-")) {
            return "lease caching (reusing a lease's remaining time) is not supported";
        }
        if (key.startsWith("lfc-") || key.equals("persist") || key.equals("name") || key.equals("max-row-errors")) {
            return "a setting of Kea's lease file; the lease store has its own";
        }
        return "dhcpcluster has no equivalent of this Kea setting";
    }
}
