package dev.dhcpcluster.adapter.tcppeer;

import dev.dhcpcluster.port.peer.PeerMessage;

/**
 * What one frame of the peer protocol carries: the handshake's own frames, the transport's
 * heartbeat, or one {@link PeerMessage}. The kinds are the records of {@link Frames}; the wire form
 * is {@link FrameCodec}'s business.
 */
sealed interface Frame
        permits Frames.Hello, Frames.ObserverHello, Frames.ForeignHello, Frames.Proof, Frames.Accept, Frames.Refuse,
                Frames.Ping, Frames.Pong, Frames.Message {
}
