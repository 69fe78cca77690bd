package dev.dhcpcluster.bootstrap.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.plugin.NodeContext;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.port.time.Cancellable;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterCatalogTest {

    private static final String FILE = """
            {"node": {"id": 1, "data-directory": "%s"},
             "transport": %s,
             "lease-store": {"type": "memory"},
             "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/24", "pools": [{"pool": "198.18.0.10 - 198.18.0.20"}]}]}}
            """;

    @TempDir
    Path directory;

    @Test
    @DisplayName("the adapters the project ships are found on the class path like any plugin's")
    void theBuiltInAdaptersAreFoundByServiceLoader() throws Exception {
        AdapterCatalog catalog = AdapterCatalog.fromClassPath();

        assertEquals(Set.of("pcap", "udp"), catalog.transportTypes());
        assertEquals(Set.of("memory", "sqlite"), catalog.storeTypes());
        assertEquals(Set.of("tcp"), catalog.peerTransportTypes());
    }

    @Test
    @DisplayName("an unknown type is refused when the file is checked, naming the types found")
    void anUnknownTypeIsRefusedNamingTheTypesFound() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().parse(
                FILE.formatted(directory, "{\"type\": \"sdn-packet-in\"}"), "node.json"));

        assertEquals("transport.type: \"sdn-packet-in\" is not a known transport; known: pcap, udp",
                e.errors().get(0).toString());
    }

    @Test
    @DisplayName("a jar in the plugin directory adds its transport, with settings of its own, checked by its provider")
    void aPluginJarAddsItsTransport() throws Exception {
        Path plugins = Files.createDirectory(directory.resolve("plugins"));
        pluginJar(plugins.resolve("queue-plugin.jar"), "queue");
        ConfigLoader loader = new ConfigLoader(AdapterCatalog.withPlugins(plugins));

        NodeConfig config = loader.parse(FILE.formatted(directory, "{\"type\": \"queue\", \"depth\": 8}"), "node.json");
        DhcpTransport transport = config.transport().factory().create(context());

        assertEquals(Set.of("pcap", "queue", "udp"), loader.catalog().transportTypes());
        assertEquals("queue of depth 8", transport.describe());
        ConfigException wrong = assertThrows(ConfigException.class, () -> loader.parse(
                FILE.formatted(directory, "{\"type\": \"queue\", \"depth\": 0, \"colour\": \"red\"}"), "node.json"));
        assertEquals(List.of("transport.depth: must be 1-1024, not 0",
                "transport.colour: unknown field (known fields here: depth)"),
                wrong.errors().stream().map(Object::toString).toList());
    }

    @Test
    @DisplayName("two providers of one type are refused, naming both classes")
    void twoProvidersOfOneTypeAreRefused() throws Exception {
        Path plugins = Files.createDirectory(directory.resolve("plugins"));
        pluginJar(plugins.resolve("udp-again.jar"), "udp");

        PluginException e = assertThrows(PluginException.class, () -> AdapterCatalog.withPlugins(plugins));

        assertTrue(e.getMessage().startsWith("two transport providers have the type \"udp\": "), e.getMessage());
        assertTrue(e.getMessage().contains("dev.dhcpcluster.adapter.udp.UdpTransportProvider"), e.getMessage());
        assertTrue(e.getMessage().contains("plugin.udp.Provider"), e.getMessage());
    }

    @Test
    @DisplayName("a plugin directory that is missing or holds no jar is refused")
    void aPluginDirectoryWithoutJarsIsRefused() throws Exception {
        PluginException missing = assertThrows(PluginException.class,
                () -> AdapterCatalog.withPlugins(directory.resolve("nowhere")));
        PluginException empty = assertThrows(PluginException.class, () -> AdapterCatalog.withPlugins(directory));

        assertEquals("--plugins: cannot list " + directory.resolve("nowhere") + ": no such directory",
                missing.getMessage());
        assertEquals("--plugins: " + directory + " holds no jar", empty.getMessage());
    }

    /** Compiles a transport provider of {@code type} against the ports on the class path, and jars it. */
    private void pluginJar(Path jar, String type) throws IOException {
        Path sources = Files.createDirectories(directory.resolve("src-" + type));
        Path classes = Files.createDirectories(directory.resolve("classes-" + type));
        Path source = sources.resolve("Provider.java");
        Files.writeString(source, """
                package plugin.%s;

                import dev.dhcpcluster.port.dhcp.DhcpHandler;
                import dev.dhcpcluster.port.dhcp.DhcpTransport;
                import dev.dhcpcluster.port.model.Delivery;
                import dev.dhcpcluster.port.plugin.AdapterFactory;
                import dev.dhcpcluster.port.plugin.AdapterSettings;
                import dev.dhcpcluster.port.plugin.DhcpTransportProvider;
                import java.util.Optional;

                public final class Provider implements DhcpTransportProvider {
                    public String type() {
                        return "%s";
                    }

                    public AdapterFactory<DhcpTransport> configure(AdapterSettings settings) {
                        int depth = settings.integer("depth", 1, 1024).orElse(64);
                        return context -> new DhcpTransport() {
                            public void start(DhcpHandler handler) {
                            }

                            public void send(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
                            }

                            public String describe() {
                                return "queue of depth " + depth;
                            }

                            public void close() {
                            }
                        };
                    }
                }
                """.formatted(type, type));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "-classpath", System.getProperty("java.class.path"),
                "-d", classes.toString(), source.toString());
        assertEquals(0, status, "the plugin compiles");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/services/dev.dhcpcluster.port.plugin.DhcpTransportProvider"));
            out.write(("plugin." + type + ".Provider\n").getBytes(StandardCharsets.UTF_8));
            try (var files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString()));
                    out.write(Files.readAllBytes(file));
                }
            }
        }
    }

    private static NodeContext context() {
        Clock clock = () -> 0;
        Scheduler scheduler = new Scheduler() {
            @Override
            public void execute(Runnable task) {
                task.run();
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                return () -> { };
            }
        };
        return new NodeContext(new NodeId(1), Path.of("/"), clock, scheduler, ClusterEvents.NONE);
    }
}
