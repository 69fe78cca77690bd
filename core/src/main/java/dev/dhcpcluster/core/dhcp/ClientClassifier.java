package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.core.config.ClassCondition;
import dev.dhcpcluster.core.config.ClientClass;
import dev.dhcpcluster.port.model.HardwareAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which client classes a request belongs to, and what options those classes give it.
 *
 * <p>A request is in a class when it passes every one of the class's conditions:
 * <ul>
 *   <li>{@link ClassCondition.VendorClassPrefix}: option 60 is present and begins with the prefix;</li>
 *   <li>{@link ClassCondition.HardwareAddressPrefix}: htype is the one given and the first hlen
 *       octets of chaddr begin with the prefix;</li>
 *   <li>{@link ClassCondition.RelayAgentSubOption}: the request was relayed (giaddr set) and its
 *       option 82 carries the sub-option with exactly that value ({@link RelayAgentInformation}).</li>
 * </ul>
 *
 * <p>Stateless once built; the classes keep their configuration order, which is also the order
 * in which their options rank among themselves.
 */
final class ClientClassifier {

    private final List<ClientClass> classes;

    ClientClassifier(List<ClientClass> classes) {
        this.classes = List.copyOf(classes);
    }

    /** The names of the classes the request is in, in configuration order; empty (and free) when no class is configured. */
    Set<String> classesOf(DhcpMessage request, HardwareAddress hardware, RelayAgentInformation relay) {
        if (classes.isEmpty()) {
            return Set.of();
        }
        Set<String> members = null;
        for (ClientClass clientClass : classes) {
            if (passesAll(clientClass, request, hardware, relay)) {
                if (members == null) {
                    members = new LinkedHashSet<>();
                }
                members.add(clientClass.name());
            }
        }
        return members == null ? Set.of() : members;
    }

    /**
     * The options the classes {@code members} give, the first class's winning a code two of them
     * set, over {@code global}.
     */
    DhcpOptions optionsOf(Set<String> members, DhcpOptions global) {
        DhcpOptions merged = DhcpOptions.empty();
        for (ClientClass clientClass : classes) {
            if (members.contains(clientClass.name())) {
                merged = merged.withDefaults(clientClass.options());
            }
        }
        return merged.withDefaults(global);
    }

    private static boolean passesAll(ClientClass clientClass, DhcpMessage request, HardwareAddress hardware,
            RelayAgentInformation relay) {
        for (ClassCondition condition : clientClass.conditions()) {
            if (!passes(condition, request, hardware, relay)) {
                return false;
            }
        }
        return true;
    }

    private static boolean passes(ClassCondition condition, DhcpMessage request, HardwareAddress hardware,
            RelayAgentInformation relay) {
        if (condition instanceof ClassCondition.VendorClassPrefix vendor) {
            Optional<byte[]> vendorClass = request.options().get(OptionCode.VENDOR_CLASS_IDENTIFIER);
            return vendorClass.isPresent() && vendor.prefix().isPrefixOf(vendorClass.get(), vendorClass.get().length);
        }
        if (condition instanceof ClassCondition.HardwareAddressPrefix prefix) {
            byte[] octets = hardware.octets();
            return hardware.type() == prefix.hardwareType() && prefix.prefix().isPrefixOf(octets, octets.length);
        }
        ClassCondition.RelayAgentSubOption subOption = (ClassCondition.RelayAgentSubOption) condition;
        return relay.hasSubOption(subOption.code(), subOption.value().toByteArray());
    }
}
