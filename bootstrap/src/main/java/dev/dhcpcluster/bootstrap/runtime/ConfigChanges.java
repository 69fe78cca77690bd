package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.plugin.AdapterChoice;
import dev.dhcpcluster.core.config.ClientClass;
import dev.dhcpcluster.core.config.LeaseTimes;
import dev.dhcpcluster.core.config.PoolConfig;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.OptionCatalog;
import dev.dhcpcluster.core.dhcp.OptionDefinition;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a reloaded node file changes, compared with the config a node runs on: the fields that
 * take effect only after a restart, by JSON path, and the changes a running node applies, one
 * readable line each.
 *
 * <p>A node cannot change who it is, where it keeps its files, how it queues and receives datagrams or
 * where its leases are stored, or which cluster it belongs to, while it runs: those sections are listed in {@link #RESTART_ONLY},
 * one line per section (or field), and keep their running values until a restart. Everything in
 * {@code Dhcp4} applies live.
 */
public final class ConfigChanges {

    /**
     * The parts of a node file that need a restart. A section is compared field by field (its
     * record's components, named as in the file); a new section is one more line here.
     */
    static final List<Watched> RESTART_ONLY = List.of(
            field("node.id", NodeConfig::node),
            field("node.data-directory", NodeConfig::dataDirectory),
            // The event loop's queue is made once, with the loop.
            field("node.dhcp-queue.capacity", config -> config.dhcpQueue().capacity()),
            field("node.dhcp-queue.max-age-ms", config -> config.dhcpQueue().maxAge()),
            section("transport", NodeConfig::transport, Map.of()),
            field("transport.client-port", config -> config.server().clientPort()),
            field("transport.relay-port", config -> config.server().relayPort()),
            section("lease-store", NodeConfig::leaseStore, Map.of()),
            section("admin", NodeConfig::admin, Map.of("listenAddress", "listen", "listenPort", "listen")),
            section("cluster", NodeConfig::cluster, Map.of("transportSettings", "", "provider", "transport")));

    private ConfigChanges() {
    }

    /**
     * The fields of {@code loaded} that differ from {@code running} but take effect only after a
     * restart, by JSON path ({@code transport.listen-port}), in file order.
     */
    public static List<String> restartNeeded(NodeConfig running, NodeConfig loaded) {
        List<String> paths = new ArrayList<>();
        for (Watched watched : RESTART_ONLY) {
            watched.compare(running, loaded, paths);
        }
        return paths;
    }

    /**
     * The server config a running node switches to: {@code loaded}'s, except the values that need
     * a restart (the node id, the ports replies go to), which stay {@code running}'s.
     */
    public static ServerConfig applicable(ServerConfig running, ServerConfig loaded) {
        return new ServerConfig(running.node(), loaded.subnets(), loaded.options(), loaded.clientClasses(),
                loaded.serverIdentifier(), loaded.offerHold(), loaded.declineProbation(), loaded.maxHops(),
                running.clientPort(), running.relayPort());
    }

    /**
     * What changes between two server configs, one readable line each
     * ({@code subnet 198.18.0.0/24: option domain-name-servers changed}); empty if nothing does.
     */
    public static List<String> describe(ServerConfig running, ServerConfig next) {
        List<String> changes = new ArrayList<>();
        if (!running.serverIdentifier().equals(next.serverIdentifier())) {
            changes.add("Dhcp4.server-identifier changed: " + identifier(running.serverIdentifier()) + " -> "
                    + identifier(next.serverIdentifier()));
        }
        if (!running.offerHold().equals(next.offerHold())) {
            changes.add("Dhcp4.offer-lifetime changed: " + running.offerHold().toSeconds() + " s -> "
                    + next.offerHold().toSeconds() + " s");
        }
        if (!running.declineProbation().equals(next.declineProbation())) {
            changes.add("Dhcp4.decline-probation-period changed: " + running.declineProbation().toSeconds() + " s -> "
                    + next.declineProbation().toSeconds() + " s");
        }
        if (running.maxHops() != next.maxHops()) {
            changes.add("Dhcp4.max-hops changed: " + running.maxHops() + " -> " + next.maxHops());
        }
        options("global", running.options(), next.options(), changes);
        keyed("client class", byKey(running.clientClasses(), ClientClass::name),
                byKey(next.clientClasses(), ClientClass::name), changes);
        if (!running.clientClasses().stream().map(ClientClass::name).toList()
                .equals(next.clientClasses().stream().map(ClientClass::name).toList())
                && Set.copyOf(running.clientClasses()).equals(Set.copyOf(next.clientClasses()))) {
            changes.add("client classes reordered (the first class a client is in wins an option)");
        }
        Map<String, SubnetConfig> before = byKey(running.subnets(), SubnetConfig::toString);
        Map<String, SubnetConfig> after = byKey(next.subnets(), SubnetConfig::toString);
        for (Map.Entry<String, SubnetConfig> entry : after.entrySet()) {
            SubnetConfig old = before.get(entry.getKey());
            if (old == null) {
                changes.add("subnet " + entry.getKey() + " added");
            } else {
                subnet(old, entry.getValue(), changes);
            }
        }
        for (String removed : before.keySet()) {
            if (!after.containsKey(removed)) {
                changes.add("subnet " + removed + " removed (its leases are kept, served to no one)");
            }
        }
        return changes;
    }

    private static void subnet(SubnetConfig old, SubnetConfig now, List<String> changes) {
        String scope = "subnet " + now;
        Map<String, PoolConfig> oldPools = byKey(old.pools(), pool -> pool.range().toString());
        Map<String, PoolConfig> newPools = byKey(now.pools(), pool -> pool.range().toString());
        for (Map.Entry<String, PoolConfig> entry : newPools.entrySet()) {
            PoolConfig was = oldPools.get(entry.getKey());
            PoolConfig is = entry.getValue();
            if (was == null) {
                changes.add(scope + ": pool " + entry.getKey() + " added");
                continue;
            }
            if (!was.clientClass().equals(is.clientClass())) {
                changes.add(scope + ": pool " + entry.getKey() + ": client-class changed: "
                        + was.clientClass().orElse("(none)") + " -> " + is.clientClass().orElse("(none)"));
            }
            options(scope + ": pool " + entry.getKey() + ":", was.options(), is.options(), changes);
        }
        for (String removed : oldPools.keySet()) {
            if (!newPools.containsKey(removed)) {
                changes.add(scope + ": pool " + removed + " removed (its live leases are kept until they end)");
            }
        }
        options(scope + ":", old.options(), now.options(), changes);
        lifetimes(scope, old.leaseTimes(), now.leaseTimes(), changes);
        keyed(scope + ": reservation of", byKey(old.reservations(), reservation -> reservation.address().toString()),
                byKey(now.reservations(), reservation -> reservation.address().toString()), changes);
        if (!old.relayAddresses().equals(now.relayAddresses())) {
            changes.add(scope + ": relay.ip-addresses changed: " + addresses(old.relayAddresses()) + " -> "
                    + addresses(now.relayAddresses()));
        }
        if (!old.interfaceName().equals(now.interfaceName())) {
            changes.add(scope + ": interface changed: " + old.interfaceName().orElse("(none)") + " -> "
                    + now.interfaceName().orElse("(none)"));
        }
        if (old.authoritative() != now.authoritative()) {
            changes.add(scope + ": authoritative changed: " + old.authoritative() + " -> " + now.authoritative());
        }
    }

    private static void lifetimes(String scope, LeaseTimes old, LeaseTimes now, List<String> changes) {
        duration(scope, "valid-lifetime", old.valid(), now.valid(), changes);
        duration(scope, "min-valid-lifetime", old.min(), now.min(), changes);
        duration(scope, "max-valid-lifetime", old.max(), now.max(), changes);
        duration(scope, "renew-timer", old.renew(), now.renew(), changes);
        duration(scope, "rebind-timer", old.rebind(), now.rebind(), changes);
    }

    private static void duration(String scope, String name, Duration old, Duration now, List<String> changes) {
        if (!old.equals(now)) {
            changes.add(scope + ": " + name + " changed: " + old.toSeconds() + " s -> " + now.toSeconds() + " s");
        }
    }

    /** One line per option code added, changed or removed: {@code <scope> option domain-name-servers changed}. */
    private static void options(String scope, DhcpOptions old, DhcpOptions now, List<String> changes) {
        Set<Integer> codes = new LinkedHashSet<>(old.codes());
        codes.addAll(now.codes());
        for (int code : codes) {
            Optional<byte[]> was = old.get(code);
            Optional<byte[]> is = now.get(code);
            String what;
            if (was.isEmpty()) {
                what = "added";
            } else if (is.isEmpty()) {
                what = "removed";
            } else if (!Arrays.equals(was.get(), is.get())) {
                what = "changed";
            } else {
                continue;
            }
            changes.add(scope + " option " + optionName(code) + " " + what);
        }
    }

    /** One line per entry added, changed or removed, entries matched by key. */
    private static <T> void keyed(String what, Map<String, T> old, Map<String, T> now, List<String> changes) {
        for (Map.Entry<String, T> entry : now.entrySet()) {
            T was = old.get(entry.getKey());
            if (was == null) {
                changes.add(what + " " + entry.getKey() + " added");
            } else if (!was.equals(entry.getValue())) {
                changes.add(what + " " + entry.getKey() + " changed");
            }
        }
        for (String removed : old.keySet()) {
            if (!now.containsKey(removed)) {
                changes.add(what + " " + removed + " removed");
            }
        }
    }

    private static <T> Map<String, T> byKey(List<T> values, Function<T, String> key) {
        Map<String, T> map = new LinkedHashMap<>();
        for (T value : values) {
            map.putIfAbsent(key.apply(value), value);
        }
        return map;
    }

    private static String optionName(int code) {
        return OptionCatalog.byCode(code).map(OptionDefinition::name).orElse(Integer.toString(code));
    }

    private static String identifier(Optional<Ipv4Address> identifier) {
        return identifier.map(Ipv4Address::toString).orElse("(the receiving address)");
    }

    private static String addresses(List<Ipv4Address> addresses) {
        return addresses.isEmpty() ? "(none)" : addresses.toString();
    }

    private static Watched field(String path, Function<NodeConfig, Object> value) {
        return new Watched(path, value, false, Map.of());
    }

    private static Watched section(String path, Function<NodeConfig, Object> value, Map<String, String> names) {
        return new Watched(path, value, true, names);
    }

    /**
     * One part of the node file that needs a restart.
     *
     * @param path its JSON path
     * @param value its value in a config
     * @param section true if the value is a record to compare component by component, each named
     *     by its component name in the file's spelling ({@code listenPort}: {@code listen-port})
     * @param names file names of components whose name is not simply that spelling; an empty name
     *     marks a map of the section's own fields kept as written, compared field by field
     */
    record Watched(String path, Function<NodeConfig, Object> value, boolean section, Map<String, String> names) {

        void compare(NodeConfig running, NodeConfig loaded, List<String> paths) {
            Object was = unwrap(value.apply(running));
            Object is = unwrap(value.apply(loaded));
            if (Objects.equals(was, is)) {
                return;
            }
            if (section && was instanceof AdapterChoice<?> before && is instanceof AdapterChoice<?> after) {
                adapter(before, after, paths);
                return;
            }
            if (section && was instanceof Record && is != null && was.getClass() == is.getClass()) {
                int before = paths.size();
                for (RecordComponent component : was.getClass().getRecordComponents()) {
                    String name = names.getOrDefault(component.getName(), kebab(component.getName()));
                    if (name.isEmpty() && read(component, was) instanceof Map<?, ?> wasFields
                            && read(component, is) instanceof Map<?, ?> isFields) {
                        // Fields kept as written (an adapter's own), compared one by one.
                        fields(path, wasFields, isFields, paths);
                        continue;
                    }
                    String field = path + "." + name;
                    // Two components can be one field of the file (admin.listen is an address and a port).
                    if (!Objects.equals(read(component, was), read(component, is)) && !paths.contains(field)) {
                        paths.add(field);
                    }
                }
                if (paths.size() > before) {
                    return;
                }
            }
            paths.add(path);
        }

        /** An adapter's section: its type, else each of its own fields that changed. */
        private void adapter(AdapterChoice<?> was, AdapterChoice<?> is, List<String> paths) {
            if (!was.type().equals(is.type())) {
                paths.add(path + ".type");
                return;
            }
            fields(path, was.settings(), is.settings(), paths);
        }

        /** The fields of {@code before} and {@code after} that differ, each once, in the order written. */
        private static void fields(String path, Map<?, ?> before, Map<?, ?> after, List<String> paths) {
            Set<Object> keys = new LinkedHashSet<>(before.keySet());
            keys.addAll(after.keySet());
            for (Object name : keys) {
                String field = path + "." + name;
                if (!Objects.equals(before.get(name), after.get(name)) && !paths.contains(field)) {
                    paths.add(field);
                }
            }
        }

        /** A section that may be absent ({@code Optional}) is compared by its content when both have one. */
        private static Object unwrap(Object value) {
            return value instanceof Optional<?> optional && optional.isPresent() ? optional.get() : value;
        }

        private static Object read(RecordComponent component, Object record) {
            try {
                return component.getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component + " of " + record.getClass(), e);
            }
        }

        private static String kebab(String name) {
            StringBuilder out = new StringBuilder(name.length() + 4);
            for (char c : name.toCharArray()) {
                if (Character.isUpperCase(c)) {
                    out.append('-').append(Character.toLowerCase(c));
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
