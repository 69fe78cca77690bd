package dev.dhcpcluster.adapter.pcap;

import java.io.IOException;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * A libpcap handle on one interface: reads the frames the filter lets through and writes frames
 * out. The only class that touches pcap4j.
 *
 * <p>In immediate mode libpcap ignores the read timeout on Linux, so a read blocks until a frame
 * comes. {@link #wake} ends a blocked read ({@code pcap_breakloop}, which since libpcap 1.10 wakes
 * the waiting thread); the handle is closed only once no thread reads it any more, since closing
 * a handle under a reading thread would free memory that thread is using.
 */
final class Capture implements AutoCloseable {

    /** How long a read waits where libpcap honours the timeout; the loop then checks for close. */
    static final int READ_TIMEOUT_MILLIS = 100;

    /** Large enough for any frame, so no datagram is ever cut short. */
    private static final int SNAPSHOT_LENGTH = 65_535;

    /** Room for a burst of client broadcasts while the handler is busy. */
    private static final int BUFFER_BYTES = 2 << 20;

    private final PcapHandle handle;
    private final Object sendLock = new Object();

    private Capture(PcapHandle handle) {
        this.handle = handle;
    }

    /**
     * Opens a capture on {@code interfaceName} that sees only IPv4 UDP datagrams to
     * {@code port} arriving from the link: not in promiscuous mode, in immediate mode (each frame
     * is delivered as it arrives, not batched), and without the frames this host sends.
     *
     * @throws IOException naming the interface if libpcap cannot open it (no such device, no
     *     permission: capture needs root or {@code CAP_NET_RAW}), or it is not an Ethernet link
     */
    static Capture open(String interfaceName, int port) throws IOException {
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(interfaceName)
                    .snaplen(SNAPSHOT_LENGTH)
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(READ_TIMEOUT_MILLIS)
                    .bufferSize(BUFFER_BYTES)
                    .immediateMode(true)
                    .build();
        } catch (PcapNativeException | RuntimeException e) {
            // pcap4j reports a missing libpcap as an Error from JNA, caught by the caller.
            throw new IOException("cannot capture on \"" + interfaceName + "\": " + e.getMessage()
                    + " (capturing needs root or CAP_NET_RAW)", e);
        }
        try {
            if (!DataLinkType.EN10MB.equals(handle.getDlt())) {
                throw new IOException("network interface \"" + interfaceName + "\" is not an Ethernet link (libpcap says "
                        + handle.getDlt() + ")");
            }
            // The direction is a kernel-side filter: our own broadcasts and relay replies (which
            // go to the server port too) are never read back as requests.
            handle.setDirection(PcapHandle.PcapDirection.IN);
            handle.setFilter("ip and udp dst port " + port, BpfProgram.BpfCompileMode.OPTIMIZE);
            return new Capture(handle);
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            handle.close();
            throw new IOException("cannot set up the capture on \"" + interfaceName + "\": " + e.getMessage(), e);
        } catch (IOException e) {
            handle.close();
            throw e;
        }
    }

    /**
     * The next frame, or null if the read timed out, was woken by {@link #wake}, or failed
     * (libpcap does not tell these apart through this call).
     *
     * @throws NotOpenException once the handle is closed
     */
    byte[] next() throws NotOpenException {
        return handle.getNextRawPacket();
    }

    /**
     * Writes one whole frame to the link.
     *
     * @throws IOException with libpcap's message if the frame was not sent
     */
    void send(byte[] frame) throws IOException {
        // libpcap writes its error text into the handle, so concurrent senders take turns.
        synchronized (sendLock) {
            try {
                handle.sendPacket(frame);
            } catch (PcapNativeException e) {
                throw new IOException(e.getMessage(), e);
            } catch (NotOpenException e) {
                throw new IOException("the capture is closed", e);
            }
        }
    }

    /** Ends a read blocked in another thread, or the next read that thread starts. */
    void wake() {
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // already closed: nothing reads it
        }
    }

    @Override
    public void close() {
        handle.close();
    }
}
