package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.OptionCatalog;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.core.dhcp.OptionDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns {@code option-data} lists into {@link DhcpOptions}, as Kea reads them: each entry names
 * an option by {@code name} or {@code code} (or both, if they agree) and gives its {@code data},
 * as comma-separated values ({@code "csv-format": true}, the default) or as hex octets.
 */
final class OptionDataResolver {

    /** Options the server computes itself; configuring one would fight the protocol. */
    private static final Map<Integer, String> MANAGED = Map.ofEntries(
            Map.entry(OptionCode.REQUESTED_ADDRESS, "is sent by clients, never configured"),
            Map.entry(OptionCode.LEASE_TIME, "comes from valid-lifetime"),
            Map.entry(OptionCode.OVERLOAD, "is set by the encoder when options spill into sname/file"),
            Map.entry(OptionCode.MESSAGE_TYPE, "is set by the server for each reply"),
            Map.entry(OptionCode.SERVER_IDENTIFIER, "comes from Dhcp4.server-identifier"),
            Map.entry(OptionCode.PARAMETER_REQUEST_LIST, "is sent by clients, never configured"),
            Map.entry(OptionCode.MAX_MESSAGE_SIZE, "is sent by clients, never configured"),
            Map.entry(OptionCode.RENEWAL_TIME, "comes from renew-timer"),
            Map.entry(OptionCode.REBINDING_TIME, "comes from rebind-timer"),
            Map.entry(OptionCode.CLIENT_IDENTIFIER, "is the client's own identity"),
            Map.entry(OptionCode.RELAY_AGENT_INFORMATION, "is added by relays and echoed by the server"));

    private OptionDataResolver() {
    }

    /**
     * Resolves one {@code option-data} list (absent counts as empty).
     *
     * @param path the path of the list ({@code Dhcp4.option-data})
     */
    static DhcpOptions resolve(List<NodeFile.OptionData> entries, String path, Problems problems) {
        DhcpOptions.Builder options = DhcpOptions.builder();
        if (entries == null) {
            return options.build();
        }
        Map<Integer, String> seen = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String entryPath = path + "[" + i + "]";
            NodeFile.OptionData entry = entries.get(i);
            if (entry == null) {
                problems.add(entryPath, "expected an object, found null");
                continue;
            }
            Optional<Integer> code = code(entry, entryPath, problems);
            if (code.isEmpty()) {
                continue;
            }
            String previous = seen.putIfAbsent(code.get(), entryPath);
            if (previous != null) {
                problems.add(entryPath, "option " + code.get() + " is already set by " + previous);
                continue;
            }
            value(entry, code.get(), entryPath, problems).ifPresent(value -> options.put(code.get(), value));
        }
        return options.build();
    }

    private static Optional<Integer> code(NodeFile.OptionData entry, String entryPath, Problems problems) {
        Integer code = entry.code();
        if (entry.name() == null && code == null) {
            problems.add(entryPath, "names neither \"name\" nor \"code\"");
            return Optional.empty();
        }
        if (code != null && (code <= OptionCode.PAD || code >= OptionCode.END)) {
            problems.add(entryPath + ".code", code + " is not an option code (1-254)");
            return Optional.empty();
        }
        if (entry.name() != null) {
            Optional<OptionDefinition> definition = OptionCatalog.byName(entry.name());
            if (definition.isEmpty()) {
                problems.add(entryPath + ".name", Syntax.quote(entry.name())
                        + " is not a known option name; give \"code\" and hex \"data\" with \"csv-format\": false for others");
                return Optional.empty();
            }
            if (code != null && code != definition.get().code()) {
                problems.add(entryPath + ".code", code + " is not the code of " + Syntax.quote(entry.name())
                        + " (" + definition.get().code() + ")");
                return Optional.empty();
            }
            code = definition.get().code();
        }
        String managed = MANAGED.get(code);
        if (managed != null) {
            problems.add(entryPath, "option " + code + " cannot be configured: it " + managed);
            return Optional.empty();
        }
        return Optional.of(code);
    }

    private static Optional<byte[]> value(NodeFile.OptionData entry, int code, String entryPath, Problems problems) {
        if (entry.data() == null) {
            problems.add(entryPath + ".data", "missing; every option needs its data");
            return Optional.empty();
        }
        boolean csv = entry.csvFormat() == null || entry.csvFormat();
        Optional<OptionDefinition> definition = OptionCatalog.byCode(code);
        try {
            if (definition.isPresent()) {
                return Optional.of(definition.get().parse(entry.data(), csv));
            }
            if (csv) {
                problems.add(entryPath + ".csv-format", "option " + code
                        + " has no known format, so its data must be hex with \"csv-format\": false");
                return Optional.empty();
            }
            return Optional.of(OptionCatalog.parse(code, entry.data(), false));
        } catch (IllegalArgumentException e) {
            problems.add(entryPath + ".data", e.getMessage());
            return Optional.empty();
        }
    }
}
