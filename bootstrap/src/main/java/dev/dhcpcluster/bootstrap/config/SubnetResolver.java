package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.core.config.LeaseTimes;
import dev.dhcpcluster.core.config.PoolConfig;
import dev.dhcpcluster.core.config.Reservation;
import dev.dhcpcluster.core.config.ReservationKey;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates and resolves the entries of {@code Dhcp4.subnet4}, one at a time, remembering what it
 * needs to check across subnets, as each arrives: overlapping prefixes, repeated ids, a relay
 * address claimed twice.
 */
final class SubnetResolver {

    /** SubnetConfig's limits: a /31 or /32 has no room for a pool, a /7 is not a link. */
    static final int SHORTEST_PREFIX = 8;
    static final int LONGEST_PREFIX = 30;

    private record Seen(Ipv4Prefix prefix, String path) {
    }

    private final Problems problems;
    private final DhcpOptions globalOptions;
    private final Optional<LeaseTimesResolver> globalTimes;
    private final List<Seen> prefixes = new ArrayList<>();
    private final Map<Long, String> ids = new HashMap<>();
    private final Map<Ipv4Address, String> relays = new HashMap<>();

    SubnetResolver(Problems problems, DhcpOptions globalOptions, Optional<LeaseTimesResolver> globalTimes) {
        this.problems = problems;
        this.globalOptions = globalOptions;
        this.globalTimes = globalTimes;
    }

    /** Resolves one subnet; empty if anything in it is wrong (and reported). */
    Optional<SubnetConfig> resolve(NodeFile.Subnet4 entry, String path) {
        if (entry == null) {
            problems.add(path, "expected an object, found null");
            return Optional.empty();
        }
        int before = problems.size();
        id(entry.id(), path + ".id");
        Optional<Ipv4Prefix> prefix = prefix(entry.subnet(), path + ".subnet");
        List<PoolConfig> pools = prefix.map(p -> pools(entry.pools(), p, path + ".pools")).orElse(List.of());
        List<Reservation> reservations = prefix.map(p -> reservations(entry.reservations(), p, path + ".reservations"))
                .orElse(List.of());
        List<Ipv4Address> relayAddresses = relay(entry.relay(), path + ".relay");
        DhcpOptions options = OptionDataResolver.merge(globalOptions,
                OptionDataResolver.resolve(entry.optionData(), path + ".option-data", problems));
        Optional<LeaseTimes> times = globalTimes.flatMap(global -> global.forSubnet(entry.lifetimes(), path, problems));
        if (problems.size() > before || prefix.isEmpty() || times.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SubnetConfig(prefix.get().network(), prefix.get().length(), pools, reservations,
                    options, times.get(), relayAddresses, Optional.empty(), false));
        } catch (IllegalArgumentException e) {
            // Every rule of SubnetConfig is checked above with a precise path; this is a last line.
            problems.add(path, e.getMessage());
            return Optional.empty();
        }
    }

    private void id(Long id, String path) {
        if (id == null) {
            return;
        }
        if (id < 1 || id > LeaseTimesResolver.MAX_SECONDS) {
            problems.add(path, id + " is not a subnet id (1-4294967294)");
            return;
        }
        String previous = ids.putIfAbsent(id, path);
        if (previous != null) {
            problems.add(path, "subnet id " + id + " is already used by " + previous);
        }
    }

    private Optional<Ipv4Prefix> prefix(String text, String path) {
        if (text == null) {
            problems.add(path, "missing; the subnet's prefix, like \"198.18.0.0/16\"");
            return Optional.empty();
        }
        Ipv4Prefix prefix;
        try {
            prefix = Syntax.prefix(text, true);
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return Optional.empty();
        }
        if (prefix.length() < SHORTEST_PREFIX || prefix.length() > LONGEST_PREFIX) {
            problems.add(path, Syntax.quote(text) + " has prefix length " + prefix.length() + "; a subnet is /"
                    + SHORTEST_PREFIX + " to /" + LONGEST_PREFIX);
            return Optional.empty();
        }
        for (Seen seen : prefixes) {
            if (seen.prefix().range().contains(prefix.network()) || prefix.range().contains(seen.prefix().network())) {
                problems.add(path, Syntax.quote(text) + " overlaps " + seen.prefix() + " (" + seen.path() + ")");
                return Optional.empty();
            }
        }
        prefixes.add(new Seen(prefix, path));
        return Optional.of(prefix);
    }

    private List<PoolConfig> pools(List<NodeFile.Pool> entries, Ipv4Prefix subnet, String path) {
        List<PoolConfig> pools = new ArrayList<>();
        List<String> poolPaths = new ArrayList<>();
        if (entries == null) {
            return pools;
        }
        for (int i = 0; i < entries.size(); i++) {
            String entryPath = path + "[" + i + "]";
            NodeFile.Pool entry = entries.get(i);
            if (entry == null) {
                problems.add(entryPath, "expected an object, found null");
                continue;
            }
            String poolPath = entryPath + ".pool";
            if (entry.pool() == null) {
                problems.add(poolPath, "missing; a range like \"198.18.1.1 - 198.18.1.254\"");
                continue;
            }
            AddressRange range;
            try {
                range = Syntax.pool(entry.pool());
            } catch (IllegalArgumentException e) {
                problems.add(poolPath, e.getMessage());
                continue;
            }
            AddressRange whole = subnet.range();
            if (!whole.contains(range.first()) || !whole.contains(range.last())) {
                problems.add(poolPath, Syntax.quote(entry.pool()) + " is not inside the subnet " + subnet);
                continue;
            }
            if (range.contains(whole.first()) || range.contains(whole.last())) {
                problems.add(poolPath, Syntax.quote(entry.pool()) + " includes the network or broadcast address of "
                        + subnet + ", which no client may be given");
                continue;
            }
            boolean overlaps = false;
            for (int j = 0; j < pools.size() && !overlaps; j++) {
                AddressRange other = pools.get(j).range();
                if (other.contains(range.first()) || range.contains(other.first())) {
                    problems.add(poolPath, Syntax.quote(entry.pool()) + " overlaps " + other + " (" + poolPaths.get(j) + ")");
                    overlaps = true;
                }
            }
            if (!overlaps) {
                pools.add(PoolConfig.of(range));
                poolPaths.add(poolPath);
            }
        }
        return pools;
    }

    private List<Reservation> reservations(List<NodeFile.ReservationEntry> entries, Ipv4Prefix subnet, String path) {
        List<Reservation> reservations = new ArrayList<>();
        if (entries == null) {
            return reservations;
        }
        Map<Ipv4Address, String> addresses = new HashMap<>();
        Map<Object, String> identities = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String entryPath = path + "[" + i + "]";
            NodeFile.ReservationEntry entry = entries.get(i);
            if (entry == null) {
                problems.add(entryPath, "expected an object, found null");
                continue;
            }
            int before = problems.size();
            Optional<HardwareAddress> hardware = Optional.empty();
            Optional<ClientKey> clientId = Optional.empty();
            if ((entry.hwAddress() == null) == (entry.clientId() == null)) {
                problems.add(entryPath, "needs exactly one of \"hw-address\" and \"client-id\"");
            } else if (entry.hwAddress() != null) {
                try {
                    hardware = Optional.of(HardwareAddress.parseEthernet(entry.hwAddress()));
                } catch (IllegalArgumentException e) {
                    problems.add(entryPath + ".hw-address", e.getMessage());
                }
            } else {
                try {
                    byte[] id = Syntax.hex(entry.clientId());
                    if (id.length == 0) {
                        problems.add(entryPath + ".client-id", "is empty");
                    } else {
                        clientId = Optional.of(ClientKey.ofClientId(id));
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(entryPath + ".client-id", e.getMessage());
                }
            }
            Optional<Ipv4Address> address = reservedAddress(entry.ipAddress(), subnet, entryPath + ".ip-address");
            if (entry.hostname() != null && entry.hostname().isBlank()) {
                problems.add(entryPath + ".hostname", "is blank; leave it out instead");
            }
            if (problems.size() > before || address.isEmpty()) {
                continue;
            }
            String previous = addresses.putIfAbsent(address.get(), entryPath);
            if (previous != null) {
                problems.add(entryPath + ".ip-address", address.get() + " is already reserved by " + previous);
                continue;
            }
            Object identity = hardware.isPresent() ? hardware.get() : clientId.get();
            String identityField = hardware.isPresent() ? ".hw-address" : ".client-id";
            previous = identities.putIfAbsent(identity, entryPath);
            if (previous != null) {
                problems.add(entryPath + identityField, "this client already has a reservation: " + previous);
                continue;
            }
            ReservationKey key = hardware.isPresent()
                    ? new ReservationKey.ByHardwareAddress(hardware.get())
                    : new ReservationKey.ByClientId(clientId.get());
            reservations.add(new Reservation(key, address.get(), Optional.ofNullable(entry.hostname()),
                    DhcpOptions.empty()));
        }
        return reservations;
    }

    private Optional<Ipv4Address> reservedAddress(String text, Ipv4Prefix subnet, String path) {
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

    private List<Ipv4Address> relay(NodeFile.Relay relay, String path) {
        List<Ipv4Address> addresses = new ArrayList<>();
        if (relay == null || relay.ipAddresses() == null) {
            return addresses;
        }
        List<String> texts = relay.ipAddresses();
        for (int i = 0; i < texts.size(); i++) {
            String entryPath = path + ".ip-addresses[" + i + "]";
            if (texts.get(i) == null) {
                problems.add(entryPath, "expected an address, found null");
                continue;
            }
            try {
                Ipv4Address address = Syntax.address(texts.get(i));
                if (address.isZero() || address.equals(Ipv4Address.BROADCAST)) {
                    problems.add(entryPath, address + " cannot be a relay's address");
                    continue;
                }
                String previous = relays.putIfAbsent(address, entryPath);
                if (previous != null) {
                    problems.add(entryPath, address + " is already listed by " + previous
                            + "; a relay address selects one subnet");
                    continue;
                }
                addresses.add(address);
            } catch (IllegalArgumentException e) {
                problems.add(entryPath, e.getMessage());
            }
        }
        return addresses;
    }
}
