package dev.dhcpcluster.port.plugin;

/**
 * An adapter of kind {@code T} that a node file can name by its {@link #type()}. The node never
 * builds a provider's adapter directly: it {@link #configure configures} the provider with the
 * adapter's settings when it reads its file, and creates the adapter from the returned factory when
 * it starts.
 *
 * <h2>Contract</h2>
 * A provider has a public no-argument constructor (for {@link java.util.ServiceLoader}), holds no
 * state, and may be asked to configure any number of times, from any thread. {@code configure}
 * opens nothing: no socket, no file, no thread. It reads every field the adapter takes, each
 * through {@link AdapterSettings}, which is how the node learns which fields exist: a field the
 * provider never reads is refused as unknown.
 *
 * @param <T> what the provider's factory creates
 */
public interface AdapterProvider<T> {

    /**
     * The name a node file gives in the section's {@code "type"} field: lower case, digits and
     * hyphens, unique among the providers of one kind on the class path.
     */
    String type();

    /**
     * Reads and checks the adapter's settings and returns the factory that will create it.
     * Every problem is reported through {@link AdapterSettings#problem} (the typed getters report
     * their own); the factory of a configuration with problems is thrown away unused, so it may
     * assume every value it captured is present and valid.
     *
     * @param settings the adapter's section of the node file, without its {@code "type"}
     */
    AdapterFactory<T> configure(AdapterSettings settings);
}
