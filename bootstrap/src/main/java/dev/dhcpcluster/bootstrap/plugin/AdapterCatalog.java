package dev.dhcpcluster.bootstrap.plugin;

import dev.dhcpcluster.port.plugin.DhcpTransportProvider;
import dev.dhcpcluster.port.plugin.LeaseStoreProvider;
import dev.dhcpcluster.port.plugin.PeerTransportProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The adapters a node can run, by type: every {@link DhcpTransportProvider},
 * {@link LeaseStoreProvider} and {@link PeerTransportProvider} that {@link ServiceLoader} finds. The adapters the project ships are
 * found the same way as an integrator's, from their jars' {@code META-INF/services}.
 *
 * <p>Immutable. Two providers of one kind with one type are refused when the catalog is built:
 * which one a file meant could not be told.
 */
public final class AdapterCatalog {

    /** The class path's catalog, once read. */
    private static volatile AdapterCatalog classPath;

    private final Map<String, DhcpTransportProvider> transports;
    private final Map<String, LeaseStoreProvider> stores;
    private final Map<String, PeerTransportProvider> peers;

    private AdapterCatalog(Map<String, DhcpTransportProvider> transports, Map<String, LeaseStoreProvider> stores,
            Map<String, PeerTransportProvider> peers) {
        this.transports = Collections.unmodifiableMap(new TreeMap<>(transports));
        this.stores = Collections.unmodifiableMap(new TreeMap<>(stores));
        this.peers = Collections.unmodifiableMap(new TreeMap<>(peers));
    }

    /**
     * The providers on the class path that loaded this class. Read once: every caller shares one
     * catalog, so that two readings of one file name the same provider objects (a reload compares
     * them).
     */
    public static AdapterCatalog fromClassPath() throws PluginException {
        AdapterCatalog known = classPath;
        if (known == null) {
            synchronized (AdapterCatalog.class) {
                if (classPath == null) {
                    classPath = load(AdapterCatalog.class.getClassLoader());
                }
                known = classPath;
            }
        }
        return known;
    }

    /**
     * The providers on the class path, and in every {@code *.jar} directly inside
     * {@code directory} (the {@code run --plugins} option). A plugin jar sees the class path (the
     * ports it implements, and whatever else it ships with it); its own dependencies go into the
     * same directory.
     *
     * @throws PluginException if the directory cannot be listed, or holds no jar
     */
    public static AdapterCatalog withPlugins(Path directory) throws PluginException {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path jar : files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
        } catch (IOException e) {
            throw new PluginException("--plugins: cannot list " + directory + ": " + reason(e), e);
        }
        if (jars.isEmpty()) {
            throw new PluginException("--plugins: " + directory + " holds no jar");
        }
        // Kept open for the life of the process: the adapters' classes come from it.
        ClassLoader plugins = new URLClassLoader("dhcpcluster-plugins", jars.toArray(URL[]::new),
                AdapterCatalog.class.getClassLoader());
        return load(plugins);
    }

    /** The providers {@code loader} finds. */
    public static AdapterCatalog load(ClassLoader loader) throws PluginException {
        return new AdapterCatalog(find(DhcpTransportProvider.class, DhcpTransportProvider::type, loader, "transport"),
                find(LeaseStoreProvider.class, LeaseStoreProvider::type, loader, "lease store"),
                find(PeerTransportProvider.class, PeerTransportProvider::type, loader, "peer transport"));
    }

    /**
     * This catalog with {@code provider} added, for an application that embeds a node and
     * registers its transport in code rather than in {@code META-INF/services}.
     *
     * @throws IllegalArgumentException if a transport of its type is known already
     */
    public AdapterCatalog with(DhcpTransportProvider provider) {
        return new AdapterCatalog(added(transports, provider, provider.type(), "transport"), stores, peers);
    }

    /**
     * This catalog with {@code provider} added.
     *
     * @throws IllegalArgumentException if a lease store of its type is known already
     */
    public AdapterCatalog with(LeaseStoreProvider provider) {
        return new AdapterCatalog(transports, added(stores, provider, provider.type(), "lease store"), peers);
    }

    /**
     * This catalog with the peer transport {@code provider} added.
     *
     * @throws IllegalArgumentException if a peer transport of its type is known already
     */
    public AdapterCatalog with(PeerTransportProvider provider) {
        return new AdapterCatalog(transports, stores, added(peers, provider, provider.type(), "peer transport"));
    }

    /** The transport provider of {@code type}, if one was found. */
    public Optional<DhcpTransportProvider> transport(String type) {
        return Optional.ofNullable(transports.get(type));
    }

    /** The lease store provider of {@code type}, if one was found. */
    public Optional<LeaseStoreProvider> store(String type) {
        return Optional.ofNullable(stores.get(type));
    }

    /** The peer transport provider of {@code type} ({@code cluster.transport}), if one was found. */
    public Optional<PeerTransportProvider> peerTransport(String type) {
        return Optional.ofNullable(peers.get(type));
    }

    /** The peer transport types found, sorted. */
    public Set<String> peerTransportTypes() {
        return peers.keySet();
    }

    /** The transport types found, sorted. */
    public Set<String> transportTypes() {
        return transports.keySet();
    }

    /** The lease store types found, sorted. */
    public Set<String> storeTypes() {
        return stores.keySet();
    }

    private static <P> Map<String, P> find(Class<P> kind, Function<P, String> type, ClassLoader loader, String what)
            throws PluginException {
        Map<String, P> found = new TreeMap<>();
        try {
            for (P provider : ServiceLoader.load(kind, loader)) {
                P earlier = found.putIfAbsent(type.apply(provider), provider);
                if (earlier != null) {
                    throw new PluginException("two " + what + " providers have the type \"" + type.apply(provider) + "\": "
                            + earlier.getClass().getName() + " and " + provider.getClass().getName());
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new PluginException("a " + what + " provider cannot be loaded: " + e.getMessage(), e);
        }
        return found;
    }

    private static <P> Map<String, P> added(Map<String, P> known, P provider, String type, String what) {
        if (known.containsKey(type)) {
            throw new IllegalArgumentException("a " + what + " of type \"" + type + "\" is known already: "
                    + known.get(type).getClass().getName());
        }
        Map<String, P> all = new TreeMap<>(known);
        all.put(type, provider);
        return all;
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such directory"
                : e instanceof java.nio.file.NotDirectoryException ? "not a directory"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.toString();
    }
}
