package dev.dhcpcluster.bootstrap.plugin;

import dev.dhcpcluster.port.plugin.AdapterProvider;
import dev.dhcpcluster.port.plugin.DhcpTransportProvider;
import dev.dhcpcluster.port.plugin.LeaseStoreProvider;
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
import java.util.stream.Stream;

/**
 * The adapters a node can run, by type: every {@link DhcpTransportProvider} and
 * {@link LeaseStoreProvider} that {@link ServiceLoader} finds. The adapters the project ships are
 * found the same way as an integrator's, from their jars' {@code META-INF/services}.
 *
 * <p>Immutable. Two providers of one kind with one type are refused when the catalog is built:
 * which one a file meant could not be told.
 */
public final class AdapterCatalog {

    private final Map<String, DhcpTransportProvider> transports;
    private final Map<String, LeaseStoreProvider> stores;

    private AdapterCatalog(Map<String, DhcpTransportProvider> transports, Map<String, LeaseStoreProvider> stores) {
        this.transports = Collections.unmodifiableMap(new TreeMap<>(transports));
        this.stores = Collections.unmodifiableMap(new TreeMap<>(stores));
    }

    /** The providers on the class path that loaded this class. */
    public static AdapterCatalog fromClassPath() throws PluginException {
        return load(AdapterCatalog.class.getClassLoader());
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
        return new AdapterCatalog(find(DhcpTransportProvider.class, loader, "transport"),
                find(LeaseStoreProvider.class, loader, "lease store"));
    }

    /**
     * This catalog with {@code provider} added, for an application that embeds a node and
     * registers its transport in code rather than in {@code META-INF/services}.
     *
     * @throws IllegalArgumentException if a transport of its type is known already
     */
    public AdapterCatalog with(DhcpTransportProvider provider) {
        return new AdapterCatalog(added(transports, provider, "transport"), stores);
    }

    /**
     * This catalog with {@code provider} added.
     *
     * @throws IllegalArgumentException if a lease store of its type is known already
     */
    public AdapterCatalog with(LeaseStoreProvider provider) {
        return new AdapterCatalog(transports, added(stores, provider, "lease store"));
    }

    /** The transport provider of {@code type}, if one was found. */
    public Optional<DhcpTransportProvider> transport(String type) {
        return Optional.ofNullable(transports.get(type));
    }

    /** The lease store provider of {@code type}, if one was found. */
    public Optional<LeaseStoreProvider> store(String type) {
        return Optional.ofNullable(stores.get(type));
    }

    /** The transport types found, sorted. */
    public Set<String> transportTypes() {
        return transports.keySet();
    }

    /** The lease store types found, sorted. */
    public Set<String> storeTypes() {
        return stores.keySet();
    }

    private static <P extends AdapterProvider<?>> Map<String, P> find(Class<P> kind, ClassLoader loader, String what)
            throws PluginException {
        Map<String, P> found = new TreeMap<>();
        try {
            for (P provider : ServiceLoader.load(kind, loader)) {
                P earlier = found.putIfAbsent(provider.type(), provider);
                if (earlier != null) {
                    throw new PluginException("two " + what + " providers have the type \"" + provider.type() + "\": "
                            + earlier.getClass().getName() + " and " + provider.getClass().getName());
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new PluginException("a " + what + " provider cannot be loaded: " + e.getMessage(), e);
        }
        return found;
    }

    private static <P extends AdapterProvider<?>> Map<String, P> added(Map<String, P> known, P provider, String what) {
        if (known.containsKey(provider.type())) {
            throw new IllegalArgumentException("a " + what + " of type \"" + provider.type() + "\" is known already: "
                    + known.get(provider.type()).getClass().getName());
        }
        Map<String, P> all = new TreeMap<>(known);
        all.put(provider.type(), provider);
        return all;
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such directory"
                : e instanceof java.nio.file.NotDirectoryException ? "not a directory"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.toString();
    }
}
