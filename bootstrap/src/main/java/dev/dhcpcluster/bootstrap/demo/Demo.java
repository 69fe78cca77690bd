package dev.dhcpcluster.bootstrap.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dhcpcluster.bootstrap.client.ClientReport;
import dev.dhcpcluster.bootstrap.client.DhcpClient;
import dev.dhcpcluster.bootstrap.client.LoadSettings;
import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.Ipv4Prefix;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.config.StoreSettings;
import dev.dhcpcluster.bootstrap.runtime.ConfigSource;
import dev.dhcpcluster.bootstrap.runtime.EventCounts;
import dev.dhcpcluster.bootstrap.runtime.NodeComponent;
import dev.dhcpcluster.bootstrap.runtime.NodeRuntime;
import dev.dhcpcluster.bootstrap.runtime.NodeStartException;
import dev.dhcpcluster.core.pool.PoolUsage;
import dev.dhcpcluster.core.pool.SubnetUsage;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A node and a relay-style client on loopback, in one process, with no root and no config file:
 * the node listens on {@code 127.0.0.1} (a free port), the client binds {@code 127.0.0.2} (a free
 * port, which becomes the node's relay port), and the client leases addresses for many synthetic
 * clients from the subnet the relay address selects. The node's config is a JSON resource read
 * by the same loader as any node file.
 *
 * <p>The node keeps its leases in the store a node gets by default, SQLite, in a fresh temporary
 * data directory that is deleted when the demo ends; the in-memory store can be chosen instead.
 */
public final class Demo {

    /** The relay address the client binds and puts in giaddr; the demo subnet lists it. */
    public static final Ipv4Address RELAY = Ipv4Address.parse("127.0.0.2");
    /** The subnet of the demo node. */
    public static final Ipv4Prefix SUBNET = Ipv4Prefix.parse("198.18.0.0/16");

    private static final String CONFIG_RESOURCE = "demo-node.json";
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(20);

    /**
     * What a demo run found.
     *
     * @param report the client's report
     * @param usage the node's pool usage after the run
     * @param counts what the node counted
     */
    public record Result(ClientReport report, PoolUsage usage, EventCounts counts) {

        /** True if every client got a lease, all distinct, and the node holds exactly that many. */
        public boolean success() {
            return report.success() && report.uniqueAddresses() == report.requested()
                    && usage.bound() == report.requested();
        }
    }

    private final int count;
    private final int concurrency;
    private final String storeType;
    private final PrintWriter out;

    /**
     * A demo with the default store, SQLite.
     *
     * @param count how many clients lease an address
     * @param concurrency how many exchanges are in flight at once
     * @param out where the progress and the summary go
     */
    public Demo(int count, int concurrency, PrintWriter out) {
        this(count, concurrency, StoreSettings.DEFAULT_TYPE, out);
    }

    /**
     * @param count how many clients lease an address
     * @param concurrency how many exchanges are in flight at once
     * @param storeType the node's lease store, one of {@link dev.dhcpcluster.bootstrap.config.AdapterNames#STORES}
     * @param out where the progress and the summary go
     */
    public Demo(int count, int concurrency, String storeType, PrintWriter out) {
        this.count = count;
        this.concurrency = concurrency;
        this.storeType = Objects.requireNonNull(storeType, "storeType");
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Starts the node, runs the client, prints the summary, stops the node.
     *
     * @throws DemoException if the node or the client could not run at all
     */
    public Result run() throws DemoException, InterruptedException {
        Path data = createDataDirectory();
        try {
            return runIn(data);
        } finally {
            delete(data);
        }
    }

    private Result runIn(Path data) throws DemoException, InterruptedException {
        try (DhcpClient client = DhcpClient.open(new InetSocketAddress(RELAY.toString(), 0))) {
            NodeConfig config = config(client.localPort(), storeType, data);
            // The demo's config comes from a resource: a reload of its node has no file to read.
            NodeRuntime node = NodeComponent.of(config, ConfigSource.none("the demo's built-in config")).runtime();
            node.start(NODE_TIMEOUT);
            try {
                out.println(node.readyLine());
                out.println(config.leaseStore().file()
                        .map(file -> "lease store: " + storeType + ", " + file + " (a fresh data directory, deleted "
                                + "when the demo ends)")
                        .orElse("lease store: " + storeType + " (leases are lost when the demo ends)"));
                int port = node.node().boundPort();
                out.printf("client: %d clients from %s:%d through the node's relay subnet, %d in flight%n", count, RELAY,
                        client.localPort(), concurrency);
                out.flush();
                LoadSettings settings = new LoadSettings(count, concurrency, Duration.ofSeconds(1), 3, false, false,
                        Optional.of(SUBNET), 1, RELAY);
                ClientReport report = client.run(new InetSocketAddress("127.0.0.1", port), settings,
                        settings.longestRun());
                Result result = new Result(report, node.node().usage(), node.counts());
                print(result);
                return result;
            } finally {
                node.stop(NODE_TIMEOUT);
                out.println("node stopped");
                out.flush();
            }
        } catch (IOException e) {
            throw new DemoException("the demo client could not bind " + RELAY + ": " + e.getMessage(), e);
        } catch (NodeStartException e) {
            throw new DemoException(e.getMessage(), e);
        } catch (TimeoutException | ExecutionException e) {
            throw new DemoException("the demo did not finish: " + e, e);
        }
    }

    private static Path createDataDirectory() throws DemoException {
        try {
            return Files.createTempDirectory("dhcpcluster-demo-");
        } catch (IOException e) {
            throw new DemoException("cannot create a temporary data directory for the demo node: " + e.getMessage(), e);
        }
    }

    /** Deletes the demo's data directory and everything in it (the store's file, its journal). */
    private void delete(Path data) {
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            out.println("could not delete the demo's data directory " + data + ": " + e.getMessage());
            out.flush();
        }
    }

    /**
     * The demo node's config: the JSON resource with the client's port as relay port, the given
     * store and data directory, loaded strictly.
     */
    static NodeConfig config(int relayPort, String storeType, Path dataDirectory) throws DemoException {
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = Demo.class.getResourceAsStream(CONFIG_RESOURCE)) {
            if (in == null) {
                throw new DemoException("the demo config " + CONFIG_RESOURCE + " is missing from the build", null);
            }
            ObjectNode file = (ObjectNode) json.readTree(in);
            ((ObjectNode) file.get("transport")).put("relay-port", relayPort);
            ((ObjectNode) file.get("node")).put("data-directory", dataDirectory.toString());
            ((ObjectNode) file.get("lease-store")).put("type", storeType);
            return new ConfigLoader().parse(json.writeValueAsString(file), CONFIG_RESOURCE);
        } catch (ConfigException e) {
            throw new DemoException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void print(Result result) {
        result.report().lines().forEach(out::println);
        for (SubnetUsage subnet : result.usage().subnets()) {
            out.printf("pool %s/%d: %d bound, %d offered, %d declined, %d free of %d%n", subnet.network(),
                    subnet.prefixLength(), subnet.bound(), subnet.offered(), subnet.declined(), subnet.free(),
                    subnet.size());
        }
        EventCounts counts = result.counts();
        long dropped = Arrays.stream(DropReason.values()).mapToLong(counts::drops).sum();
        out.printf("node counted: %d DISCOVER, %d REQUEST received; %d OFFER, %d ACK, %d NAK sent; %d dropped%n",
                counts.requests(DhcpMessageType.DISCOVER), counts.requests(DhcpMessageType.REQUEST),
                counts.replies(DhcpMessageType.OFFER), counts.replies(DhcpMessageType.ACK),
                counts.replies(DhcpMessageType.NAK), dropped);
        if (counts.store().commits() > 0 || counts.store().failures() > 0) {
            out.println("lease store: " + NodeRuntime.describeStore(counts.store()));
        }
        out.println(result.success()
                ? "demo OK: " + result.report().obtained() + " leases, every address unique"
                : "demo FAILED: " + result.report().obtained() + " of " + count + " leases, "
                        + result.report().uniqueAddresses() + " unique addresses, " + result.usage().bound()
                        + " bound on the node");
        out.flush();
    }
}
