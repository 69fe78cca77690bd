package dev.dhcpcluster.bootstrap.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dhcpcluster.adapter.pcap.PcapDhcpTransport;
import dev.dhcpcluster.bootstrap.config.ConfigError;
import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.plugin.AdapterChoice;
import dev.dhcpcluster.bootstrap.runtime.NodeCompanion;
import dev.dhcpcluster.bootstrap.runtime.ReloadOutcome;
import dev.dhcpcluster.bootstrap.secret.SecretException;
import dev.dhcpcluster.core.relay.RelayInterface;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A relay in one process with a node: the node file's {@code relay} section, run beside the node
 * on the transport they share ({@link SharedPort}). The node's transport is replaced by the shared
 * port's node side ({@link #node()}), whose pcap transport captures the node's interfaces and the
 * relay's; the relay runs on the other side.
 *
 * <p>Start the node first (it binds the shared transport), then {@link #start} the relay; stop the
 * relay first ({@link #close}), then the node. As the node's {@link NodeCompanion}, the relay is
 * reloaded with the node, by the relay's live-reload rules ({@link RelayRuntime#reload}), and shown
 * in the node's {@code /status} under {@code relay}.
 */
public final class ColocatedRelay implements NodeCompanion, AutoCloseable {

    /** The section's name in the node file. */
    public static final String SECTION = "relay";

    private final NodeConfig node;
    private final SharedPort port;
    private final RelayRuntime relay;
    private final Path file;
    private final NodeRelayReader reader;

    private ColocatedRelay(NodeConfig node, SharedPort port, RelayRuntime relay, Path file, NodeRelayReader reader) {
        this.node = node;
        this.port = port;
        this.relay = relay;
        this.file = file;
        this.reader = reader;
    }

    /**
     * The relay of {@code relayConfig} beside the node of {@code nodeConfig}, on a pcap transport
     * that serves the node's interfaces and the relay's, not yet started. The relay's cluster
     * observer is opened here, and closed by {@link #close}.
     *
     * @param nodeConfig the node's config, as read from {@code file}
     * @param relayConfig the file's {@code relay} section, as {@link NodeRelayReader} read it
     * @param file the node file, read again on a reload
     * @param reader reads the section again on a reload
     * @throws SecretException if the cluster's secret cannot be read
     * @throws IllegalArgumentException if a TLS store cannot be used (the message names its field)
     */
    public static ColocatedRelay of(NodeConfig nodeConfig, RelayConfig relayConfig, Path file, NodeRelayReader reader)
            throws SecretException {
        RelayConfig.Transport shared = relayConfig.transport();
        return of(nodeConfig, relayConfig, file, reader,
                interfaces -> new PcapDhcpTransport(interfaces, shared.listenAddress(), shared.listenPort(), true),
                SharedPort::hostAddresses);
    }

    /**
     * As {@link #of(NodeConfig, RelayConfig, Path, NodeRelayReader)}, on the transport
     * {@code transports} makes for the node's interfaces and the relay's (in that order), in a host
     * whose addresses {@code hostAddresses} reads.
     */
    static ColocatedRelay of(NodeConfig nodeConfig, RelayConfig relayConfig, Path file, NodeRelayReader reader,
            Function<List<String>, DhcpTransport> transports, SharedPort.HostAddresses hostAddresses)
            throws SecretException {
        Objects.requireNonNull(nodeConfig, "nodeConfig");
        List<String> interfaces = new ArrayList<>();
        if (nodeConfig.transport().settings().get("interfaces") instanceof List<?> listed) {
            listed.forEach(name -> interfaces.add(String.valueOf(name)));
        }
        List<String> relayInterfaces = relayConfig.settings().interfaces().stream().map(RelayInterface::name).toList();
        interfaces.addAll(relayInterfaces);
        SharedPort port = new SharedPort(transports.apply(List.copyOf(interfaces)), relayInterfaces,
                relayConfig.settings().interfaces().stream().map(RelayInterface::address)
                        .collect(Collectors.toUnmodifiableSet()),
                relayConfig.settings().serverPort(), hostAddresses);
        ClusterSource source = ClusterSource.of(relayConfig, relayConfig.name().orElse(RelayRuntime.defaultName()));
        RelayRuntime.ConfigFile again = () -> reader.load(file, nodeConfig).orElseThrow(
                () -> new ConfigException(file.toString(), List.of(new ConfigError(SECTION, "missing"))));
        RelayRuntime relay = new RelayRuntime(relayConfig, Optional.of(again), config -> port.relaySide(),
                System::nanoTime, source, ClusterSource::of);
        return new ColocatedRelay(nodeConfig, port, relay, file, reader);
    }

    /**
     * The node's config, its transport the shared port's node side: of the same type and settings
     * as the file's, so that a reload sees no change of transport.
     */
    public NodeConfig node() {
        AdapterChoice<DhcpTransport> own = node.transport();
        return node.withTransport(new AdapterChoice<>(own.type(), own.settings(), own.interfaces(),
                context -> port.nodeSide()));
    }

    /** The port the node and the relay share. */
    public SharedPort port() {
        return port;
    }

    /** The relay. */
    public RelayRuntime relay() {
        return relay;
    }

    /**
     * Starts relaying on the node's transport, which must run already.
     *
     * @throws IOException if the node's transport does not run
     */
    public void start() throws IOException {
        relay.start();
    }

    /** Registers the {@code dhcpcluster_relay_*} metrics in the node's registry. */
    public void registerMetrics(PrometheusRegistry registry) {
        RelayMetrics.register(registry, relay);
    }

    /** What the node's ready line adds: {@code ; relays from lan1 198.18.64.1 to [198.18.0.1, 198.18.0.2]}. */
    public String readySuffix() {
        RelayConfig config = relay.config();
        return "; relays from " + config.settings().interfaces().stream()
                .map(face -> face.name() + " " + face.address()).collect(Collectors.joining(", "))
                + " to " + config.settings().servers();
    }

    @Override
    public String name() {
        return SECTION;
    }

    /**
     * Reloads the relay section by the relay's live-reload rules; every line names its field from
     * the node file's root. A file whose section is gone leaves the relay running: removing it
     * takes a restart.
     */
    @Override
    public ReloadOutcome reload() {
        try {
            if (reader.load(file, node).isEmpty()) {
                return new ReloadOutcome(true, List.of(), List.of(SECTION), List.of());
            }
        } catch (ConfigException e) {
            // The node's loader refuses such a file before this is asked; the relay says why all the same.
            relay.counters().countReload(false);
            return new ReloadOutcome(false, List.of(), List.of(), e.errors().stream().map(ConfigError::toString).toList());
        }
        ReloadOutcome outcome = relay.reload();
        return new ReloadOutcome(outcome.applied(), prefixed(outcome.changes()), prefixed(outcome.restartNeeded()),
                prefixed(outcome.errors()));
    }

    /** Lines that name a field of the relay, from the node file's root: {@code relay.servers: ...}. */
    private static List<String> prefixed(List<String> lines) {
        return lines.stream().map(line -> line.startsWith(SECTION + ".") || line.startsWith(SECTION + ":")
                || line.startsWith(SECTION + " ") ? line : SECTION + "." + line).toList();
    }

    @Override
    public JsonNode status() {
        return RelayAdmin.describe(relay);
    }

    /** Stops relaying and closes the relay's cluster observer; the node's transport stays open. */
    @Override
    public void close() {
        relay.close();
    }
}
