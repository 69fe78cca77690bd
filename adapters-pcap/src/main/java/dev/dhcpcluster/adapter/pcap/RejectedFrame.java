package dev.dhcpcluster.adapter.pcap;

import java.util.Objects;

/** A captured frame that is malformed, fragmented or not IPv4 UDP, and why. */
record RejectedFrame(String reason) implements Decoded {

    RejectedFrame {
        Objects.requireNonNull(reason, "reason");
    }
}
