package dev.dhcpcluster.adapter.pcap;

import java.util.Objects;

/** What {@link FrameCodec#decode} made of a captured frame: a UDP datagram, or a reason to drop it. */
sealed interface Decoded {

    /** A well-formed, unfragmented IPv4 UDP datagram. */
    record Udp(UdpFrame frame) implements Decoded {
        public Udp {
            Objects.requireNonNull(frame, "frame");
        }
    }

    /** A frame that is malformed, fragmented or not IPv4 UDP, and why. */
    record Rejected(String reason) implements Decoded {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
