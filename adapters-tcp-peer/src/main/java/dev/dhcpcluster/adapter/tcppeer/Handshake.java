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
 *
 * <p>An observer's proof binds its name in place of the dialer's node id, under another label: a
 * member's transcript is unchanged, and no proof made for one kind of connection verifies on the
 * other, so an observer's proof cannot be passed off as a member's, nor its name changed.
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

    /** The most bytes, in UTF-8, of an observer's name. */
    static final int MAX_OBSERVER_NAME_BYTES = 128;

    private static final byte[] LABEL = "dhcpcluster peer proof".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OBSERVER_LABEL = "dhcpcluster observer proof".getBytes(StandardCharsets.US_ASCII);
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
        return hmac(secret, transcript.array());
    }

    /**
     * The proof one side of an observer's connection sends: the observer always dials.
     *
     * @param fromObserver true for the observer's proof, false for the node's
     */
    static byte[] observerProof(byte[] secret, String cluster, String observer, byte[] observerNonce, NodeId node,
            byte[] nodeNonce, boolean fromObserver) {
        byte[] name = cluster.getBytes(StandardCharsets.UTF_8);
        byte[] observerName = observer.getBytes(StandardCharsets.UTF_8);
        ByteBuffer transcript = ByteBuffer.allocate(OBSERVER_LABEL.length + 4 + 4 + name.length + 4 + observerName.length
                        + NONCE_BYTES + 4 + NONCE_BYTES + 1)
                .put(OBSERVER_LABEL)
                .putInt(PROTOCOL_VERSION)
                .putInt(name.length).put(name)
                .putInt(observerName.length).put(observerName).put(observerNonce)
                .putInt(node.value()).put(nodeNonce)
                .put(fromObserver ? FROM_DIALER : FROM_ACCEPTER);
        return hmac(secret, transcript.array());
    }

    private static byte[] hmac(byte[] secret, byte[] transcript) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(transcript);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * Checks an observer's name: 1 to {@value #MAX_OBSERVER_NAME_BYTES} bytes in UTF-8, not blank,
     * no control character (it is printed in log lines).
     *
     * @throws IllegalArgumentException if it is not such a name
     */
    static String requireObserverName(String observer) {
        if (observer == null || observer.isBlank()
                || observer.getBytes(StandardCharsets.UTF_8).length > MAX_OBSERVER_NAME_BYTES
                || observer.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("an observer's name has 1 to " + MAX_OBSERVER_NAME_BYTES
                    + " bytes in UTF-8, is not blank and has no control character");
        }
        return observer;
    }

    /** Compares a received proof with the expected one in time independent of where they differ. */
    static boolean verify(byte[] expected, byte[] received) {
        return MessageDigest.isEqual(expected, received);
    }
}
