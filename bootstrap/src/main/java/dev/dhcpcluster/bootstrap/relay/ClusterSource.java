package dev.dhcpcluster.bootstrap.relay;

import dev.dhcpcluster.adapter.tcppeer.TcpPeerTransport;
import dev.dhcpcluster.bootstrap.secret.ClusterSecret;
import dev.dhcpcluster.bootstrap.secret.SecretException;
import dev.dhcpcluster.core.relay.ClusterPicture;
import dev.dhcpcluster.core.text.SafeText;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerRefusal;
import dev.dhcpcluster.port.telemetry.PeerEvents;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a relay's picture of the cluster comes from: asked once per request, from any thread, and
 * closed when the relay stops. A relay without {@code relay.cluster} has {@link #none()}; a cluster
 * relay's comes from the observer connections to the nodes.
 */
public interface ClusterSource extends Supplier<ClusterPicture>, AutoCloseable {

    /** What the relay knows of the cluster now. */
    @Override
    ClusterPicture get();

    /** Stops watching; idempotent. */
    @Override
    void close();

    /** The source of a relay that knows no cluster: never reached, so every request goes to every server. */
    static ClusterSource none() {
        return of(ClusterPicture::neverReached, () -> { });
    }

    /** Opens the source a config asks for: at start, and again when a reload changes what is watched. */
    @FunctionalInterface
    interface Factory {
        /**
         * The source {@code config} asks for, its observer named {@code name}.
         *
         * @throws SecretException naming the file if the secret cannot be used
         * @throws IllegalArgumentException if another setting cannot be used (a TLS store); the
         *     message starts with the field's JSON path
         */
        ClusterSource open(RelayConfig config, String name) throws SecretException;
    }

    /**
     * The source {@code config} asks for: {@link #none()} without {@code relay.cluster}; with it, a
     * {@link ClusterObserver} that dials every server's {@code peer} as observer {@code name},
     * authenticated with the cluster's secret, which is read now, and in TLS if
     * {@code relay.cluster.tls} names the stores, which are read now too.
     *
     * @throws SecretException naming the file if the secret cannot be used
     * @throws IllegalArgumentException if a TLS store cannot be used, the message starting with the
     *     field's JSON path ({@code relay.cluster.tls.keystore: ...})
     */
    static ClusterSource of(RelayConfig config, String name) throws SecretException {
        Optional<RelayConfig.Watched> watched = config.watched();
        if (watched.isEmpty()) {
            return none();
        }
        RelayConfig.Cluster cluster = watched.get().cluster();
        Optional<SSLContext> tls = cluster.tls().map(stores -> TcpPeerTransport.tlsContext("relay.cluster.tls",
                stores.keystore(), stores.keystorePasswordFile(), stores.truststore(), stores.truststorePasswordFile()));
        byte[] secret = ClusterSecret.read(cluster.secretFile());
        Map<NodeId, InetSocketAddress> nodes = new LinkedHashMap<>();
        watched.get().peers().forEach((node, peer) -> {
            int colon = peer.lastIndexOf(':');
            nodes.put(node, new InetSocketAddress(peer.substring(0, colon), Integer.parseInt(peer.substring(colon + 1))));
        });
        try {
            ClusterObserver observer = ClusterObserver.start(cluster.name(), secret, name, nodes, tls, new ObserverLog());
            return of(observer::picture, observer::close);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** The observer's connections and refusals, one log line each. */
    final class ObserverLog implements PeerEvents {

        private static final Logger LOG = LoggerFactory.getLogger(ClusterSource.class);

        @Override
        public void peerConnected(NodeId peer) {
            LOG.info("relay observes node {}", peer.value());
        }

        @Override
        public void peerDisconnected(NodeId peer, String reason) {
            LOG.warn("relay lost its connection to node {}: {}", peer.value(), SafeText.inline(reason));
        }

        @Override
        public void peerRefused(PeerRefusal reason, String remote, String detail) {
            LOG.warn("relay connection to {} refused ({}): {}", SafeText.inline(remote), reason, SafeText.inline(detail));
        }
    }

    /** A source that asks {@code picture} and runs {@code close} when closed. */
    static ClusterSource of(Supplier<ClusterPicture> picture, Runnable close) {
        Objects.requireNonNull(picture, "picture");
        Objects.requireNonNull(close, "close");
        return new ClusterSource() {
            @Override
            public ClusterPicture get() {
                return picture.get();
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }
}
