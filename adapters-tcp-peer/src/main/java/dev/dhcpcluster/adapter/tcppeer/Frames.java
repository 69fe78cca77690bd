package dev.dhcpcluster.adapter.tcppeer;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerRefusal;
import java.util.Objects;

/** The kinds of {@link Frame}: package-private records, as nothing outside the adapter sees them. */
final class Frames {

    private Frames() {
    }

    /** The first frame each side sends: who it is, and its fresh nonce for the proofs. */
    record Hello(int version, String cluster, NodeId node, byte[] nonce) implements Frame {
        Hello {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(node, "node");
            if (nonce.length != Handshake.NONCE_BYTES) {
                throw new IllegalArgumentException("a nonce has " + Handshake.NONCE_BYTES + " bytes, not " + nonce.length);
            }
        }
    }

    /**
     * The first frame of an observer that dials a node: a hello with an {@code observer} name in
     * place of a node id. An observer proves it holds the cluster secret like a member, but is no
     * member: it only watches (see {@link dev.dhcpcluster.port.peer.PeerMessage.ObserverView}).
     */
    record ObserverHello(int version, String cluster, String observer, byte[] nonce) implements Frame {
        ObserverHello {
            Objects.requireNonNull(cluster, "cluster");
            Handshake.requireObserverName(observer);
            if (nonce.length != Handshake.NONCE_BYTES) {
                throw new IllegalArgumentException("a nonce has " + Handshake.NONCE_BYTES + " bytes, not " + nonce.length);
            }
        }
    }

    /**
     * A hello of another protocol version, of which only the version is read: the rest may mean
     * something else there, and the version is what the operator needs to hear about.
     */
    record ForeignHello(int version) implements Frame {
    }

    /** The sender's HMAC over the handshake transcript: it holds the cluster secret. */
    record Proof(byte[] mac) implements Frame {
        Proof {
            if (mac.length != Handshake.MAC_BYTES) {
                throw new IllegalArgumentException("a proof has " + Handshake.MAC_BYTES + " bytes, not " + mac.length);
            }
        }
    }

    /** The higher node's verdict on an authenticated connection: this one is kept. */
    record Accept() implements Frame {
    }

    /** The sender closes the connection, and says why. */
    record Refuse(PeerRefusal reason, String detail) implements Frame {
        Refuse {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** A heartbeat: answered by a {@link Pong} with the same stamp, which gives the round trip. */
    record Ping(long stamp) implements Frame {
    }

    /** The answer to a {@link Ping}, echoing its stamp. */
    record Pong(long stamp) implements Frame {
    }

    /** A message for the application. */
    record Message(PeerMessage message) implements Frame {
        Message {
            Objects.requireNonNull(message, "message");
        }
    }
}
