package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.config.Reservation;
import dev.dhcpcluster.core.config.ReservationKey;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.HostNames;
import dev.dhcpcluster.core.text.SafeText;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Validates and resolves the {@code reservations} of one subnet: each names its client by exactly
 * one of Kea's host identifiers ({@code hw-address}, {@code client-id}, {@code circuit-id},
 * {@code remote-id}), a host address of the subnet, and optionally a host name and options.
 * Within the subnet, an address is reserved once and an identifier has one reservation.
 */
final class ReservationResolver {

    /** The identifier fields, in the order the messages list them. */
    private static final List<String> KEY_FIELDS = List.of("hw-address", "client-id", "circuit-id", "remote-id");

    private final Problems problems;

    ReservationResolver(Problems problems) {
        this.problems = problems;
    }

    /**
     * Resolves the reservations of the subnet {@code subnet}; wrong ones are reported and left out.
     *
     * @param path the path of the list ({@code Dhcp4.subnet4[0].reservations})
     */
    List<Reservation> resolve(List<NodeFile.ReservationEntry> entries, Ipv4Prefix subnet, String path) {
        List<Reservation> reservations = new ArrayList<>();
        if (entries == null) {
            return reservations;
        }
        Map<Ipv4Address, String> addresses = new HashMap<>();
        Map<ReservationKey, String> keys = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String entryPath = path + "[" + i + "]";
            NodeFile.ReservationEntry entry = entries.get(i);
            if (entry == null) {
                problems.add(entryPath, "expected an object, found null");
                continue;
            }
            int before = problems.size();
            Optional<KeyField> key = key(entry, entryPath);
            Optional<Ipv4Address> address = address(entry.ipAddress(), subnet, entryPath + ".ip-address");
            if (entry.hostname() != null && entry.hostname().isBlank()) {
                problems.add(entryPath + ".hostname", "is blank; leave it out instead");
            } else if (entry.hostname() != null && !HostNames.isValid(entry.hostname())) {
                // The name goes to the client (option 12), into the lease store and into logs: the
                // same rule as for the names clients send.
                problems.add(entryPath + ".hostname", "\"" + SafeText.inline(entry.hostname()) + "\" is not a valid "
                        + "DNS host name: dot-separated labels of 1-63 letters, digits and hyphens, no hyphen at "
                        + "either end of a label, at most 253 characters");
            }
            DhcpOptions options = OptionDataResolver.resolve(entry.optionData(), entryPath + ".option-data", problems);
            if (problems.size() > before || key.isEmpty() || address.isEmpty()) {
                continue;
            }
            String previous = addresses.putIfAbsent(address.get(), entryPath);
            if (previous != null) {
                problems.add(entryPath + ".ip-address", address.get() + " is already reserved by " + previous);
                continue;
            }
            previous = keys.putIfAbsent(key.get().key(), entryPath);
            if (previous != null) {
                problems.add(entryPath + "." + key.get().field(), key.get().key()
                        + " already has a reservation in this subnet: " + previous);
                continue;
            }
            reservations.add(new Reservation(key.get().key(), address.get(), Optional.ofNullable(entry.hostname()),
                    options));
        }
        return reservations;
    }

    /** A resolved identifier and the field it was written in. */
    private record KeyField(String field, ReservationKey key) {
    }

    private Optional<KeyField> key(NodeFile.ReservationEntry entry, String entryPath) {
        List<String> given = new ArrayList<>();
        String[] values = {entry.hwAddress(), entry.clientId(), entry.circuitId(), entry.remoteId()};
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                given.add(KEY_FIELDS.get(i));
            }
        }
        if (given.size() != 1) {
            problems.add(entryPath, "needs exactly one of " + Syntax.listed(KEY_FIELDS, "and") + " to name its client, "
                    + (given.isEmpty() ? "found none" : "found " + Syntax.listed(given, "and")));
            return Optional.empty();
        }
        String field = given.get(0);
        String path = entryPath + "." + field;
        try {
            ReservationKey key = switch (field) {
                case "hw-address" -> new ReservationKey.ByHardwareAddress(HardwareAddress.parseEthernet(entry.hwAddress()));
                case "client-id" -> new ReservationKey.ByClientId(ClientKey.ofClientId(Syntax.hostIdentifier(entry.clientId())));
                case "circuit-id" -> identifier(entry.circuitId(), ReservationKey.ByCircuitId::new);
                default -> identifier(entry.remoteId(), ReservationKey.ByRemoteId::new);
            };
            return Optional.of(new KeyField(field, key));
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return Optional.empty();
        }
    }

    private static ReservationKey identifier(String text, Function<Octets, ReservationKey> key) {
        return key.apply(Octets.of(Syntax.hostIdentifier(text)));
    }

    private Optional<Ipv4Address> address(String text, Ipv4Prefix subnet, String path) {
        if (text == null) {
            problems.add(path, "missing; the address reserved for this client");
            return Optional.empty();
        }
        try {
            Ipv4Address address = Syntax.address(text);
            AddressRange whole = subnet.range();
            if (!whole.contains(address)) {
                problems.add(path, address + " is not inside the subnet " + subnet);
                return Optional.empty();
            }
            if (address.equals(whole.first()) || address.equals(whole.last())) {
                problems.add(path, address + " is the network or broadcast address of " + subnet);
                return Optional.empty();
            }
            return Optional.of(address);
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return Optional.empty();
        }
    }
}
