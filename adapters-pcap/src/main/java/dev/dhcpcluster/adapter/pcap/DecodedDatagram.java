package dev.dhcpcluster.adapter.pcap;

import java.util.Objects;

/** A captured frame that holds a well-formed, unfragmented IPv4 UDP datagram. */
record DecodedDatagram(UdpFrame frame) implements Decoded {

    DecodedDatagram {
        Objects.requireNonNull(frame, "frame");
    }
}
