package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.core.config.ClassCondition;
import dev.dhcpcluster.core.config.ClientClass;
import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Validates and resolves {@code Dhcp4.client-classes}. Where Kea describes a class with an
 * expression ({@code test}), a class here names its conditions as fields, each one a test every
 * member's request must pass:
 * <ul>
 *   <li>{@code vendor-class-prefix}: the vendor class identifier (option 60) begins with this
 *       text, or with these octets when written {@code 0x...};</li>
 *   <li>{@code hw-address-prefix}: the Ethernet hardware address begins with these hex octets;</li>
 *   <li>{@code circuit-id}, {@code remote-id}: the relay agent's sub-option 1 or 2 is exactly this
 *       host identifier (the reservations' syntax);</li>
 *   <li>{@code relay-agent-sub-options}: {@code [{"code": 9, "data": "..."}]}, any sub-option of
 *       the relay agent information exactly so.</li>
 * </ul>
 * Names are unique; a pool refers to a class by name.
 */
final class ClientClassResolver {

    /** The condition fields, quoted for messages. */
    static final String CONDITION_FIELDS = Syntax.listed(List.of("vendor-class-prefix", "hw-address-prefix",
            "circuit-id", "remote-id", "relay-agent-sub-options"), "or");

    /** RFC 3046 sub-options; ClassCondition.RelayAgentSubOption's range. */
    private static final int CIRCUIT_ID = 1;
    private static final int REMOTE_ID = 2;
    private static final int HIGHEST_SUB_OPTION = 254;
    /** chaddr holds 16 octets. */
    private static final int MAX_HARDWARE_PREFIX = 16;
    private static final int ETHERNET = 1;

    /**
     * The classes that resolved, and the name of every class the file defines, including those
     * with errors of their own: a pool naming one of those is not reported a second time.
     */
    record Resolved(List<ClientClass> classes, Set<String> names) {
    }

    private final Problems problems;

    ClientClassResolver(Problems problems) {
        this.problems = problems;
    }

    /**
     * Resolves the list at {@code path} (absent counts as empty).
     *
     * @param path the path of the list ({@code Dhcp4.client-classes})
     */
    Resolved resolve(List<NodeFile.ClientClassEntry> entries, String path) {
        List<ClientClass> classes = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        if (entries == null) {
            return new Resolved(classes, names);
        }
        Map<String, String> namePaths = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String entryPath = path + "[" + i + "]";
            NodeFile.ClientClassEntry entry = entries.get(i);
            if (entry == null) {
                problems.add(entryPath, "expected an object, found null");
                continue;
            }
            int before = problems.size();
            Optional<String> name = name(entry.name(), entryPath + ".name", namePaths);
            name.ifPresent(names::add);
            List<ClassCondition> conditions = conditions(entry, entryPath);
            DhcpOptions options = OptionDataResolver.resolve(entry.optionData(), entryPath + ".option-data", problems);
            if (problems.size() > before || name.isEmpty()) {
                continue;
            }
            classes.add(new ClientClass(name.get(), conditions, options));
        }
        return new Resolved(classes, names);
    }

    private Optional<String> name(String name, String path, Map<String, String> namePaths) {
        if (name == null) {
            problems.add(path, "missing; the name pools use to refer to the class");
            return Optional.empty();
        }
        if (name.isBlank() || !name.strip().equals(name)) {
            problems.add(path, Syntax.quote(name) + " is not a class name (not blank, no surrounding spaces)");
            return Optional.empty();
        }
        String previous = namePaths.putIfAbsent(name, path);
        if (previous != null) {
            problems.add(path, "client class " + Syntax.quote(name) + " is already defined by " + previous);
            return Optional.empty();
        }
        return Optional.of(name);
    }

    private List<ClassCondition> conditions(NodeFile.ClientClassEntry entry, String path) {
        List<ClassCondition> conditions = new ArrayList<>();
        boolean testGiven = entry.test() != null && !entry.test().isNull();
        if (testGiven) {
            problems.add(path + ".test", "expressions are not supported; describe the class with " + CONDITION_FIELDS
                    + " instead (a request must meet every one given)");
        }
        boolean anyGiven = false;
        if (entry.vendorClassPrefix() != null) {
            anyGiven = true;
            parse(path + ".vendor-class-prefix", () -> new ClassCondition.VendorClassPrefix(
                    Octets.of(Syntax.textOrHex(entry.vendorClassPrefix())))).ifPresent(conditions::add);
        }
        if (entry.hwAddressPrefix() != null) {
            anyGiven = true;
            parse(path + ".hw-address-prefix", () -> hardwarePrefix(entry.hwAddressPrefix())).ifPresent(conditions::add);
        }
        // Each sub-option can be required once: a request carries one value for it.
        Map<Integer, String> subOptions = new HashMap<>();
        if (entry.circuitId() != null) {
            anyGiven = true;
            subOption(CIRCUIT_ID, entry.circuitId(), path + ".circuit-id", path + ".circuit-id", subOptions).ifPresent(conditions::add);
        }
        if (entry.remoteId() != null) {
            anyGiven = true;
            subOption(REMOTE_ID, entry.remoteId(), path + ".remote-id", path + ".remote-id", subOptions).ifPresent(conditions::add);
        }
        List<NodeFile.SubOptionEntry> listed = entry.relayAgentSubOptions();
        for (int i = 0; listed != null && i < listed.size(); i++) {
            anyGiven = true;
            String entryPath = path + ".relay-agent-sub-options[" + i + "]";
            NodeFile.SubOptionEntry subOption = listed.get(i);
            if (subOption == null) {
                problems.add(entryPath, "expected an object, found null");
                continue;
            }
            if (subOption.code() == null) {
                problems.add(entryPath + ".code", "missing; the sub-option's code, 1-" + HIGHEST_SUB_OPTION
                        + " (1 is the circuit-id, 2 the remote-id)");
                continue;
            }
            if (subOption.code() < 1 || subOption.code() > HIGHEST_SUB_OPTION) {
                problems.add(entryPath + ".code", subOption.code() + " is not a relay agent sub-option code (1-"
                        + HIGHEST_SUB_OPTION + ")");
                continue;
            }
            if (subOption.data() == null) {
                problems.add(entryPath + ".data", "missing; the value the sub-option must have, in hex (01:02:0a) "
                        + "or as text in single quotes ('port-7')");
                continue;
            }
            subOption(subOption.code(), subOption.data(), entryPath + ".code", entryPath + ".data", subOptions).ifPresent(conditions::add);
        }
        if (!anyGiven && !testGiven) {
            problems.add(path, "has no condition and would match every request; give at least one of "
                    + CONDITION_FIELDS);
        }
        return conditions;
    }

    /**
     * A condition on sub-option {@code code}; {@code codePath} is the field that names the code,
     * {@code dataPath} the one that holds the value (the same field for circuit-id and remote-id).
     */
    private Optional<ClassCondition> subOption(int code, String data, String codePath, String dataPath,
            Map<Integer, String> seen) {
        String previous = seen.putIfAbsent(code, codePath);
        if (previous != null) {
            problems.add(codePath, "relay agent sub-option " + code + " is already required by " + previous
                    + "; a request carries one value for it");
            return Optional.empty();
        }
        return parse(dataPath, () -> new ClassCondition.RelayAgentSubOption(code, Octets.of(Syntax.hostIdentifier(data))));
    }

    private static ClassCondition hardwarePrefix(String text) {
        byte[] prefix = Syntax.hex(text);
        if (prefix.length == 0) {
            throw new IllegalArgumentException("is empty; an empty prefix would match every request");
        }
        if (prefix.length > MAX_HARDWARE_PREFIX) {
            throw new IllegalArgumentException(Syntax.quote(text) + " has " + prefix.length
                    + " octets; a hardware address has at most " + MAX_HARDWARE_PREFIX);
        }
        return new ClassCondition.HardwareAddressPrefix(ETHERNET, Octets.of(prefix));
    }

    /** A parser that reports its {@link IllegalArgumentException} at {@code path}. */
    private interface Parser {
        ClassCondition parse();
    }

    private Optional<ClassCondition> parse(String path, Parser parser) {
        try {
            return Optional.of(parser.parse());
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return Optional.empty();
        }
    }
}
