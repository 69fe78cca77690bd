package dev.dhcpcluster.adapter.pcap;

/**
 * What {@link FrameCodec#decode} made of a captured frame: a {@link DecodedDatagram}, or a
 * {@link RejectedFrame} with the reason to drop it.
 */
sealed interface Decoded permits DecodedDatagram, RejectedFrame {
}
