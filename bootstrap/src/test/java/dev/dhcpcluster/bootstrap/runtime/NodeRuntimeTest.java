package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.plugin.AdapterChoice;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import com.google.common.util.concurrent.ServiceManager;
import dev.dhcpcluster.adapter.udp.UdpDhcpTransport;
import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** How a node that cannot start reports it: one line, and no stack trace at the default level. */
class NodeRuntimeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        root.addAppender(appender);
    }

    @AfterEach
    void release() {
        root.detachAppender(appender);
    }

    @Test
    @DisplayName("a store that reads but cannot commit (a full disk) refuses the start in one line, and nothing serves")
    void aStoreThatCannotCommitRefusesTheStart() throws Exception {
        NodeConfig config = new ConfigLoader().parse("""
                {"node": {"id": 4},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 0},
                 "lease-store": {"type": "memory"},
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.1.1 - 198.18.1.9"}]}]}}
                """, "node.json");
        EventLoop loop = new EventLoop("test-loop");
        LoggingClusterEvents events = new LoggingClusterEvents(loop, loop, Duration.ofSeconds(60));
        UdpDhcpTransport transport = new UdpDhcpTransport(Ipv4Address.parse("127.0.0.1"), 0, Optional.empty());
        FullDiskStore store = new FullDiskStore();
        NodeConfig wired = config.withTransport(AdapterChoice.of("udp", transport))
                .withLeaseStore(AdapterChoice.of("memory", store));
        ClusterService alone = new ClusterService(wired, loop, events);
        NodeService node = new NodeService(wired, loop, events);
        NodeRuntime runtime = new NodeRuntime(wired, ConfigSource.none("a test"), new ServiceManager(List.of(loop, alone, node)),
                node, alone, loop, events);

        NodeStartException error = assertThrows(NodeStartException.class, () -> runtime.start(TIMEOUT));

        assertEquals("node 4 did not start: lease store: /data/leases.db cannot commit a change: "
                + "[SQLITE_FULL] database or disk is full", error.getMessage());
        assertTrue(store.closed, "the store is closed again");
        // The port is free again: the transport is closed, nothing serves.
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress("127.0.0.1", transport.port()))) {
            assertEquals(transport.port(), again.getLocalPort());
        }
        assertEquals(List.of(), loudEvents(), "nothing at ERROR, no stack trace at INFO or above");
    }

    @Test
    @DisplayName("a bug while starting is one line naming the exception; its stack trace is logged at DEBUG only")
    void aBugWhileStartingIsOneLineWithTheStackTraceAtDebug() throws Exception {
        NodeConfig config = new ConfigLoader().parse("""
                {"node": {"id": 4},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 0},
                 "lease-store": {"type": "memory"},
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.1.1 - 198.18.1.9"}]}]}}
                """, "node.json");
        EventLoop loop = new EventLoop("test-loop");
        LoggingClusterEvents events = new LoggingClusterEvents(loop, loop, Duration.ofSeconds(60));
        DhcpTransport broken = new DhcpTransport() {
            @Override
            public void start(DhcpHandler handler) {
                throw new IllegalStateException("a bug");
            }

            @Override
            public void send(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
            }

            @Override
            public void close() {
            }
        };
        NodeConfig wired = config.withTransport(AdapterChoice.of("udp", broken))
                .withLeaseStore(AdapterChoice.of("memory", new FullDiskStore()));
        ClusterService alone = new ClusterService(wired, loop, events);
        NodeService node = new NodeService(wired, loop, events);
        NodeRuntime runtime = new NodeRuntime(wired, ConfigSource.none("a test"), new ServiceManager(List.of(loop, alone, node)),
                node, alone, loop, events);
        Level before = root.getLevel();
        root.setLevel(Level.DEBUG);
        try {
            NodeStartException error = assertThrows(NodeStartException.class, () -> runtime.start(TIMEOUT));

            assertEquals("node 4 did not start: unexpected java.lang.IllegalStateException: a bug "
                    + "(--log-level DEBUG logs its stack trace)", error.getMessage());
        } finally {
            root.setLevel(before);
        }
        assertEquals(List.of(), loudEvents(), "nothing at ERROR, no stack trace at INFO or above");
        assertTrue(appender.list.stream().anyMatch(event -> event.getLevel() == Level.DEBUG
                && event.getThrowableProxy() != null && "a bug".equals(event.getThrowableProxy().getMessage())),
                "the stack trace is at DEBUG");
    }

    /** A store that reads (nothing) but cannot commit, as a store on a full disk. */
    private static final class FullDiskStore implements LeaseStore {
        volatile boolean closed;

        @Override
        public List<Lease> loadAll() {
            return List.of();
        }

        @Override
        public void checkWritable() throws LeaseStoreException {
            throw new LeaseStoreException("/data/leases.db cannot commit a change: [SQLITE_FULL] database or disk is full");
        }

        @Override
        public void write(List<Lease> batch, WriteCompletion completion) {
            completion.failed(new LeaseStoreException("full"));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private List<String> loudEvents() {
        return appender.list.stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(Level.ERROR)
                        || event.getLevel().isGreaterOrEqual(Level.INFO) && event.getThrowableProxy() != null)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    @DisplayName("a port that cannot be bound refuses the start in one line: no ERROR, no stack trace")
    void aBindFailureIsOneLineWithoutAStackTrace() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            NodeConfig config = new ConfigLoader().parse("""
                    {"node": {"id": 4},
                     "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": %d},
                     "lease-store": {"type": "memory"},
                     "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.1.1 - 198.18.1.9"}]}]}}
                    """.formatted(taken.getLocalPort()), "node.json");
            NodeRuntime runtime = NodeComponent.of(config).runtime();

            NodeStartException error = assertThrows(NodeStartException.class, () -> runtime.start(TIMEOUT));

            assertTrue(error.getMessage().startsWith("node 4 did not start: transport: ")
                    && error.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), error.getMessage());
            assertEquals(1, error.getMessage().lines().count(), error.getMessage());
            List<ILoggingEvent> loud = appender.list.stream()
                    .filter(event -> event.getLevel().isGreaterOrEqual(Level.INFO))
                    .filter(event -> event.getLevel().isGreaterOrEqual(Level.ERROR) || event.getThrowableProxy() != null)
                    .toList();
            assertEquals(List.of(), loud.stream().map(ILoggingEvent::getFormattedMessage).toList(),
                    "nothing at ERROR, no stack trace at INFO or above");
        }
    }
}
