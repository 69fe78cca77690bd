package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.core.config.LeaseTimes;
import dev.dhcpcluster.core.config.PoolConfig;
import dev.dhcpcluster.core.config.Reservation;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validates and resolves the entries of {@code Dhcp4.subnet4}, one at a time, remembering what it
 * needs to check across subnets, as each arrives: overlapping prefixes, repeated ids, a relay
 * address or an interface claimed twice. A subnet inherits {@code authoritative} from
 * {@code Dhcp4} unless it sets its own; its {@code option-data} stay its own (the policy ranks
 * them against the global, class, pool and reservation options).
 */
final class SubnetResolver {

    /** SubnetConfig's limits: a /31 or /32 has no room for a pool, a /7 is not a link. */
    static final int SHORTEST_PREFIX = 8;
    static final int LONGEST_PREFIX = 30;

    private record Seen(Ipv4Prefix prefix, String path) {
    }

    private final Problems problems;
    private final Optional<LeaseTimesResolver> globalTimes;
    private final boolean globalAuthoritative;
    private final Set<String> classNames;
    private final ReservationResolver reservations;
    private final List<Seen> prefixes = new ArrayList<>();
    private final Map<Long, String> ids = new HashMap<>();
    private final Map<Ipv4Address, String> relays = new HashMap<>();
    private final Map<String, String> interfaces = new HashMap<>();

    /**
     * @param globalAuthoritative {@code Dhcp4.authoritative}, which subnets inherit
     * @param classNames the names {@code Dhcp4.client-classes} defines, which pools may refer to
     */
    SubnetResolver(Problems problems, Optional<LeaseTimesResolver> globalTimes, boolean globalAuthoritative,
            Set<String> classNames) {
        this.problems = problems;
        this.globalTimes = globalTimes;
        this.globalAuthoritative = globalAuthoritative;
        this.classNames = Set.copyOf(classNames);
        this.reservations = new ReservationResolver(problems);
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
        List<Reservation> reserved = prefix.map(p -> reservations.resolve(entry.reservations(), p,
                path + ".reservations")).orElse(List.of());
        List<Ipv4Address> relayAddresses = relay(entry.relay(), path + ".relay");
        Optional<String> interfaceName = interfaceName(entry.interfaceName(), path + ".interface");
        boolean authoritative = entry.authoritative() == null ? globalAuthoritative : entry.authoritative();
        DhcpOptions options = OptionDataResolver.resolve(entry.optionData(), path + ".option-data", problems);
        Optional<LeaseTimes> times = globalTimes.flatMap(global -> global.forSubnet(entry.lifetimes(), path, problems));
        if (problems.size() > before || prefix.isEmpty() || times.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SubnetConfig(prefix.get().network(), prefix.get().length(), pools, reserved,
                    options, times.get(), relayAddresses, interfaceName, authoritative));
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
            prefix = Syntax.prefix(text);
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
            int before = problems.size();
            Optional<AddressRange> range = range(entry.pool(), subnet, entryPath + ".pool", pools, poolPaths);
            Optional<String> clientClass = clientClass(entry.clientClass(), entryPath + ".client-class");
            DhcpOptions options = OptionDataResolver.resolve(entry.optionData(), entryPath + ".option-data", problems);
            if (problems.size() == before && range.isPresent()) {
                pools.add(new PoolConfig(range.get(), clientClass, options));
                poolPaths.add(entryPath + ".pool");
            }
        }
        return pools;
    }

    /** A pool's range: inside the subnet, clear of its network and broadcast address and of earlier pools. */
    private Optional<AddressRange> range(String text, Ipv4Prefix subnet, String path, List<PoolConfig> earlier,
            List<String> earlierPaths) {
        if (text == null) {
            problems.add(path, "missing; a range like \"198.18.1.1 - 198.18.1.254\"");
            return Optional.empty();
        }
        AddressRange range;
        try {
            range = Syntax.pool(text);
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return Optional.empty();
        }
        AddressRange whole = subnet.range();
        if (!whole.contains(range.first()) || !whole.contains(range.last())) {
            problems.add(path, Syntax.quote(text) + " is not inside the subnet " + subnet);
            return Optional.empty();
        }
        if (range.contains(whole.first()) || range.contains(whole.last())) {
            problems.add(path, Syntax.quote(text) + " includes the network or broadcast address of "
                    + subnet + ", which no client may be given");
            return Optional.empty();
        }
        for (int j = 0; j < earlier.size(); j++) {
            AddressRange other = earlier.get(j).range();
            if (other.contains(range.first()) || range.contains(other.first())) {
                problems.add(path, Syntax.quote(text) + " overlaps " + other + " (" + earlierPaths.get(j) + ")");
                return Optional.empty();
            }
        }
        return Optional.of(range);
    }

    /** The class a pool is restricted to, which {@code Dhcp4.client-classes} must define. */
    private Optional<String> clientClass(String name, String path) {
        if (name == null) {
            return Optional.empty();
        }
        if (!classNames.contains(name)) {
            problems.add(path, Syntax.quote(name) + " is not a class defined in Dhcp4.client-classes "
                    + (classNames.isEmpty() ? "(it defines none)" : "(defined: " + String.join(", ", new TreeSet<>(classNames)) + ")"));
            return Optional.empty();
        }
        return Optional.of(name);
    }

    /**
     * The interface a subnet serves directly attached clients on. One interface serves one subnet:
     * without shared networks, the server could not tell which subnet a client on it belongs to.
     */
    private Optional<String> interfaceName(String name, String path) {
        if (name == null) {
            return Optional.empty();
        }
        if (name.isBlank() || !name.strip().equals(name)) {
            problems.add(path, Syntax.quote(name) + " is not an interface name");
            return Optional.empty();
        }
        String previous = interfaces.putIfAbsent(name, path);
        if (previous != null) {
            problems.add(path, "interface " + Syntax.quote(name) + " is already served by " + previous
                    + "; an interface serves one subnet (shared networks are not supported)");
            return Optional.empty();
        }
        return Optional.of(name);
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
