package dev.dhcpcluster.port.plugin;

/**
 * Creates one configured adapter: what {@link AdapterProvider#configure} returns.
 *
 * @param <T> the adapter's kind
 */
@FunctionalInterface
public interface AdapterFactory<T> {

    /**
     * Creates the adapter, called once, when the node starts, on the thread starting it. The
     * adapter opens its sockets or files later, when the node starts it ({@code start} of a
     * transport, {@code loadAll} of a store), so that creating one can fail only for a bug.
     */
    T create(NodeContext context);
}
