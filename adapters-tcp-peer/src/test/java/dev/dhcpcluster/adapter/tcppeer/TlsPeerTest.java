package dev.dhcpcluster.adapter.tcppeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AbstractPeerTransportTest.RecordingPeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerRefusal;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peering inside TLS: both sides present a certificate the other trusts, and the secret's
 * handshake still runs inside. The keystores are made for the test by the JDK's keytool.
 */
class TlsPeerTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final char[] PASSWORD = "test-only".toCharArray();

    @TempDir
    static Path keys;

    private static SSLContext cluster;
    private static SSLContext stranger;

    private final List<TcpPeerTransport> transports = new ArrayList<>();

    @BeforeAll
    static void makeKeystores() throws Exception {
        cluster = context(keystore("cluster"));
        stranger = context(keystore("stranger"));
    }

    @AfterEach
    void closeTransports() {
        transports.forEach(TcpPeerTransport::close);
    }

    @Test
    @DisplayName("two nodes with trusted certificates connect over TLS and exchange messages")
    void trustedNodesConnect() throws Exception {
        LoopbackCluster nodes = LoopbackCluster.of(Set.of(ONE, TWO), settings -> settings.withTls(cluster));
        RecordingPeerHandler atOne = new RecordingPeerHandler();
        RecordingPeerHandler atTwo = new RecordingPeerHandler();
        TcpPeerTransport one = start(nodes.transport(ONE), atOne);
        TcpPeerTransport two = start(nodes.transport(TWO), atTwo);
        atOne.awaitConnected(TWO);
        atTwo.awaitConnected(ONE);

        one.send(TWO, new PeerMessage.Coordinator(ONE, 4));
        two.send(ONE, new PeerMessage.Acknowledge(TWO, 4, ONE));

        assertEquals(List.of(new PeerMessage.Coordinator(ONE, 4)), atTwo.awaitMessages(1));
        assertEquals(List.of(new PeerMessage.Acknowledge(TWO, 4, ONE)), atOne.awaitMessages(1));
    }

    @Test
    @DisplayName("a node whose certificate is not trusted is refused as TLS_FAILURE on both sides")
    void untrustedCertificateIsRefused() throws Exception {
        LoopbackCluster nodes = LoopbackCluster.of(Set.of(ONE, TWO), settings -> settings.withTls(cluster));
        TcpPeerTransport one = start(nodes.transport(ONE), new RecordingPeerHandler());
        start(new TcpPeerTransport(nodes.settings(TWO).withTls(stranger), nodes.events(TWO)), new RecordingPeerHandler());

        RecordingPeerEvents.Refusal refusal = nodes.events(ONE).awaitRefusal(PeerRefusal.TLS_FAILURE);
        nodes.events(TWO).awaitRefusal(PeerRefusal.TLS_FAILURE);

        assertTrue(refusal.remote().startsWith("127.0.0.1:"), refusal.remote());
        assertEquals(Set.of(), one.connected());
    }

    @Test
    @DisplayName("a client that does not speak TLS is refused as TLS_FAILURE")
    void plainClientIsRefused() throws Exception {
        LoopbackCluster nodes = LoopbackCluster.of(Set.of(ONE, TWO), settings -> settings.withTls(cluster));
        start(nodes.transport(ONE), new RecordingPeerHandler());

        try (RawPeer raw = RawPeer.connect(nodes.address(ONE))) {
            raw.write(new Frames.Hello(Handshake.PROTOCOL_VERSION, LoopbackCluster.NAME, TWO, RawPeer.nonce()));
            assertTrue(raw.closedByNode());
        }

        nodes.events(ONE).awaitRefusal(PeerRefusal.TLS_FAILURE);
    }

    @Test
    @DisplayName("a member without TLS that dials a TLS member is told the other side speaks TLS, not just that a frame was too long")
    void plainDialerIsToldTheOtherSideSpeaksTls() throws Exception {
        LoopbackCluster nodes = LoopbackCluster.of(Set.of(ONE, TWO), settings -> settings.withTls(cluster));
        start(nodes.transport(ONE), new RecordingPeerHandler());
        TcpPeerTransport.Settings two = nodes.settings(TWO);
        start(new TcpPeerTransport(new TcpPeerTransport.Settings(two.self(), two.clusterName(), two.listen(), two.peers(),
                LoopbackCluster.SECRET, Optional.empty(), two.maxFrameBytes(), two.handshakeTimeout(),
                two.heartbeatInterval(), two.maxHandshakes()), nodes.events(TWO)), new RecordingPeerHandler());

        RecordingPeerEvents.Refusal refusal = nodes.events(TWO).awaitRefusal(
                r -> r.detail().contains("the other side speaks TLS"), "a refusal that names TLS");

        assertEquals(PeerRefusal.OVERSIZED_FRAME, refusal.reason());
        nodes.events(ONE).awaitRefusal(PeerRefusal.TLS_FAILURE);
    }

    @Test
    @DisplayName("inside TLS the cluster secret is still proven: a trusted certificate with the wrong secret is refused")
    void secretIsCheckedInsideTls() throws Exception {
        LoopbackCluster nodes = LoopbackCluster.of(Set.of(ONE, TWO), settings -> settings.withTls(cluster));
        start(nodes.transport(ONE), new RecordingPeerHandler());
        TcpPeerTransport.Settings two = nodes.settings(TWO);
        start(new TcpPeerTransport(new TcpPeerTransport.Settings(two.self(), two.clusterName(), two.listen(), two.peers(),
                "another secret, also 32 bytes...".getBytes(StandardCharsets.US_ASCII), two.tls(), two.maxFrameBytes(),
                two.handshakeTimeout(), two.heartbeatInterval(), two.maxHandshakes()), nodes.events(TWO)),
                new RecordingPeerHandler());

        nodes.events(ONE).awaitRefusal(PeerRefusal.WRONG_SECRET);
        nodes.events(TWO).awaitRefusal(PeerRefusal.WRONG_SECRET);
    }

    private TcpPeerTransport start(TcpPeerTransport transport, RecordingPeerHandler handler) throws Exception {
        transports.add(transport);
        transport.start(handler);
        return transport;
    }

    /** A PKCS#12 keystore with one new self-signed key pair, made by keytool. */
    private static Path keystore(String name) throws Exception {
        Path file = keys.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + name, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !Files.exists(file)) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        return file;
    }

    /** A TLS context that presents the keystore's key and trusts only the keystore's own certificate. */
    private static SSLContext context(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, PASSWORD);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }
}
