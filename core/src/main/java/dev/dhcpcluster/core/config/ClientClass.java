package dev.dhcpcluster.core.config;

import dev.dhcpcluster.core.dhcp.DhcpOptions;
import java.util.List;
import java.util.Objects;

/**
 * A named set of clients, as Kea's {@code client-classes}: a request belongs to the class when it
 * passes every one of the conditions. Members get the class's options, and only members may take
 * addresses from a pool restricted to the class ({@link PoolConfig#clientClass()}).
 *
 * @param name the class's name, unique among the classes, referred to by pools
 * @param conditions the tests a request must all pass; at least one
 * @param options options given to members; they rank above the global options and below the
 *     subnet's, the pool's and the reservation's, as in Kea
 */
public record ClientClass(String name, List<ClassCondition> conditions, DhcpOptions options) {

    public ClientClass {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        conditions = List.copyOf(conditions);
        if (name.isBlank() || !name.strip().equals(name)) {
            throw new IllegalArgumentException("a client class needs a name without surrounding spaces, not \""
                    + name + "\"");
        }
        if (conditions.isEmpty()) {
            throw new IllegalArgumentException("client class " + name + " has no condition and would match everyone");
        }
    }
}
