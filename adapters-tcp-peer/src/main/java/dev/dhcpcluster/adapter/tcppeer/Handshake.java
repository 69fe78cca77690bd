package dev.dhcpcluster.adapter.tcppeer;

import dev.dhcpcluster.port.model.NodeId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cryptographic part of the handshake: the transcript both sides sign, and the proof.
 *
 * <p>Each side proves it holds the cluster secret with HMAC-SHA256 over a transcript that binds
 * everything the handshake said: the protocol version, the cluster name, both node ids, both
 * fresh nonces, and which side the proof comes from. Fresh nonces from both sides mean a recorded
 * proof is worthless on another connection (no replay); the direction byte means a node's own
 * proof, sent back to it, does not verify (no reflection).
 */
final class Handshake {

    /**
     * The version of the peer protocol this transport speaks: 2 since the lease messages are
     * binary ({@link LeaseFrames}); a node of version 1 is refused as a version mismatch.
     */
    static final int PROTOCOL_VERSION = 2;

    /** Bytes of each side's nonce, drawn from a {@link java.security.SecureRandom}. */
    static final int NONCE_BYTES = 32;

    /** Bytes of an HMAC-SHA256. */
    static final int MAC_BYTES = 32;

    /** The largest frame accepted before a peer is authenticated: a hello or proof is far smaller. */
    static final int MAX_HANDSHAKE_FRAME_BYTES = 1024;

    private static final byte[] LABEL = "dhcpcluster peer proof".getBytes(StandardCharsets.US_ASCII);
    private static final byte FROM_DIALER = 1;
    private static final byte FROM_ACCEPTER = 2;

    private Handshake() {
    }

    /**
     * The proof one side sends.
     *
     * @param fromDialer true for the proof of the side that dialed, false for the side that accepted
     */
    static byte[] proof(byte[] secret, String cluster, NodeId dialer, byte[] dialerNonce, NodeId accepter,
            byte[] accepterNonce, boolean fromDialer) {
        byte[] name = cluster.getBytes(StandardCharsets.UTF_8);
        ByteBuffer transcript = ByteBuffer.allocate(LABEL.length + 4 + 4 + name.length + 2 * (4 + NONCE_BYTES) + 1)
                .put(LABEL)
                .putInt(PROTOCOL_VERSION)
                .putInt(name.length).put(name)
                .putInt(dialer.value()).put(dialerNonce)
                .putInt(accepter.value()).put(accepterNonce)
                .put(fromDialer ? FROM_DIALER : FROM_ACCEPTER);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(transcript.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Compares a received proof with the expected one in time independent of where they differ. */
    static boolean verify(byte[] expected, byte[] received) {
        return MessageDigest.isEqual(expected, received);
    }
}
