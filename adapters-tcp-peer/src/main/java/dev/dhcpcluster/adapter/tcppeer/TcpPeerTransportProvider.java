package dev.dhcpcluster.adapter.tcppeer;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerTransport;
import dev.dhcpcluster.port.plugin.AdapterSettings;
import dev.dhcpcluster.port.plugin.NodeContext;
import dev.dhcpcluster.port.plugin.PeerMembership;
import dev.dhcpcluster.port.plugin.PeerTransportFactory;
import dev.dhcpcluster.port.plugin.PeerTransportProvider;
import dev.dhcpcluster.port.plugin.SettingsProblem;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Offers the {@link TcpPeerTransport} as {@code "cluster": {"transport": "tcp"}}, the default. It
 * reads {@code listen} (required, {@code address:port}), {@code max-frame-bytes},
 * {@code handshake-timeout-ms} and {@code tls} (the four PKCS#12 files, relative to the data
 * directory when relative); a peer's address is {@code address:port} too. The TLS context is
 * built when the transport is created, so that a key store replaced between two starts is read
 * anew.
 */
public final class TcpPeerTransportProvider implements PeerTransportProvider {

    /** The type name in {@code cluster.transport}. */
    public static final String TYPE = "tcp";
    /** The largest frame by default: far above any election message, and room for a configuration. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;
    /** The smallest {@code max-frame-bytes} allowed: a handshake must fit. */
    public static final int MIN_MAX_FRAME_BYTES = Handshake.MAX_HANDSHAKE_FRAME_BYTES;
    /** The largest {@code max-frame-bytes} allowed. */
    public static final int MAX_MAX_FRAME_BYTES = 64 << 20;
    /** How long a handshake may take by default. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    /** The longest handshake timeout accepted, in milliseconds. */
    static final long MAX_HANDSHAKE_MS = 60_000;

    /** Public, for {@link java.util.ServiceLoader}. */
    public TcpPeerTransportProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public PeerTransportFactory configure(AdapterSettings settings) {
        InetSocketAddress listen = null;
        Optional<String> listenText = settings.string("listen");
        if (listenText.isPresent()) {
            listen = socketAddress(listenText.get(), 0, settings, "listen");
        } else if (!settings.has("listen")) {
            settings.problem("listen", "missing; the address:port this node listens on for its peers, like "
                    + "\"198.18.0.1:6767\"");
        }
        int maxFrame = DEFAULT_MAX_FRAME_BYTES;
        Optional<Integer> frame = settings.integer("max-frame-bytes", Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (frame.isPresent()) {
            if (frame.get() < MIN_MAX_FRAME_BYTES || frame.get() > MAX_MAX_FRAME_BYTES) {
                settings.problem("max-frame-bytes", frame.get() + " is not " + MIN_MAX_FRAME_BYTES + " to "
                        + MAX_MAX_FRAME_BYTES + " bytes");
            } else {
                maxFrame = frame.get();
            }
        }
        Duration handshake = DEFAULT_HANDSHAKE_TIMEOUT;
        Optional<Long> handshakeMs = settings.longInteger("handshake-timeout-ms", Long.MIN_VALUE, Long.MAX_VALUE);
        if (handshakeMs.isPresent()) {
            if (handshakeMs.get() < 1 || handshakeMs.get() > MAX_HANDSHAKE_MS) {
                settings.problem("handshake-timeout-ms", handshakeMs.get() + " is not 1 to " + MAX_HANDSHAKE_MS + " ms");
            } else {
                handshake = Duration.ofMillis(handshakeMs.get());
            }
        }
        Optional<TlsStores> tls = settings.section("tls").flatMap(TcpPeerTransportProvider::tls);
        return new Factory(listen, maxFrame, handshake, tls);
    }

    private static Optional<TlsStores> tls(AdapterSettings tls) {
        Optional<Path> keystore = required(tls, "keystore", "the node's key and certificate, a PKCS#12 file");
        Optional<Path> keystorePassword = required(tls, "keystore-password-file",
                "the file holding the keystore's password");
        Optional<Path> truststore = required(tls, "truststore", "the certificates the node trusts, a PKCS#12 file");
        Optional<Path> truststorePassword = required(tls, "truststore-password-file",
                "the file holding the truststore's password");
        if (keystore.isEmpty() || keystorePassword.isEmpty() || truststore.isEmpty() || truststorePassword.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TlsStores(tls.path(), keystore.get(), keystorePassword.get(), truststore.get(),
                truststorePassword.get()));
    }

    private static Optional<Path> required(AdapterSettings settings, String name, String what) {
        Optional<String> text = settings.string(name);
        if (text.isEmpty()) {
            if (!settings.has(name)) {
                settings.problem(name, "missing; " + what);
            }
            return Optional.empty();
        }
        if (text.get().endsWith("/")) {
            settings.problem(name, "\"" + text.get() + "\" names a directory; name a file");
            return Optional.empty();
        }
        Optional<Path> file = settings.file(name);
        Path fileName = file.map(Path::getFileName).orElse(null);
        if (file.isPresent() && (fileName == null || fileName.toString().equals(".") || fileName.toString().equals(".."))) {
            settings.problem(name, "\"" + text.get() + "\" names a directory; name a file");
            return Optional.empty();
        }
        return file;
    }

    /**
     * {@code address:port}, the address a dotted quad (no name to look up), the port from
     * {@code lowest}; null after reporting a problem, if {@code settings} is given, else thrown.
     */
    static InetSocketAddress socketAddress(String text, int lowest, AdapterSettings settings, String field) {
        try {
            return socketAddress(text, lowest);
        } catch (IllegalArgumentException e) {
            settings.problem(field, e.getMessage());
            return null;
        }
    }

    /**
     * {@code address:port}, the address a dotted quad (no name to look up), the port from {@code lowest}.
     *
     * @throws IllegalArgumentException saying what is wrong, quoting {@code text}
     */
    static InetSocketAddress socketAddress(String text, int lowest) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(quote(text) + " is not address:port (like \"198.18.0.1:6767\")");
        }
        Ipv4Address address;
        try {
            address = Ipv4Address.parse(text.substring(0, colon));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(quote(text.substring(0, colon))
                    + " is not an IPv4 address (dotted quad, like 198.18.0.1)");
        }
        if (address.equals(Ipv4Address.BROADCAST) || (lowest > 0 && address.isZero())) {
            throw new IllegalArgumentException(quote(text) + " is not an address a peer can be reached at");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(quote(text) + " has a port that is not a number");
        }
        if (port < lowest || port > 65535) {
            throw new IllegalArgumentException(quote(text) + " has port " + port + ", not a TCP port (" + lowest
                    + "-65535)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address.toBytes()), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four octets are always an address", e);
        }
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }

    /** The settings read; {@code listen} null only in a configuration with problems, which is never created. */
    private record Factory(InetSocketAddress listen, int maxFrameBytes, Duration handshakeTimeout,
            Optional<TlsStores> tls) implements PeerTransportFactory {

        @Override
        public String peerAddress(String written) {
            InetSocketAddress address = socketAddress(written, 1);
            if (address.equals(listen)) {
                throw new IllegalArgumentException(quote(written) + " is this node's own cluster.listen");
            }
            return Connection.describe(address);
        }

        @Override
        public List<SettingsProblem> checkHost() {
            if (tls.isEmpty()) {
                return List.of();
            }
            try {
                tls.get().build();
                return List.of();
            } catch (TlsStores.Problem e) {
                return List.of(new SettingsProblem(e.field(), e.getMessage()));
            }
        }

        @Override
        public PeerTransport create(NodeContext context, PeerMembership membership) {
            Map<NodeId, InetSocketAddress> peers = new LinkedHashMap<>();
            membership.peers().forEach((id, address) -> peers.put(id, socketAddress(address, 1)));
            byte[] secret = membership.secret();
            try {
                TcpPeerTransport.Settings settings = TcpPeerTransport.Settings.of(membership.self(),
                        membership.clusterName(), listen, peers, secret)
                        .withMaxFrameBytes(maxFrameBytes)
                        .withHandshakeTimeout(handshakeTimeout)
                        .withHeartbeatInterval(membership.heartbeatInterval());
                if (tls.isPresent()) {
                    SSLContext tlsContext;
                    try {
                        tlsContext = tls.get().build();
                    } catch (TlsStores.Problem e) {
                        throw new IllegalStateException(e.describe(), e);
                    }
                    settings = settings.withTls(tlsContext);
                }
                return new TcpPeerTransport(settings, context.events());
            } finally {
                // The settings keep their own copy.
                Arrays.fill(secret, (byte) 0);
            }
        }
    }
}
