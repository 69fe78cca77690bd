package dev.dhcpcluster.adapter.pcap;

import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.pcap4j.core.NotOpenException;

/**
 * The body of one interface's capture thread: reads frames until the transport closes, turns each
 * well-formed datagram meant for this host into a {@link Datagram} of that interface, and hands it
 * to the handler. A malformed or foreign frame is dropped and counted; a handler that throws is
 * logged and counted; neither stops the loop.
 */
final class CaptureLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger(PcapDhcpTransport.class.getName());

    private final Capture capture;
    private final Link link;
    private final Set<Ipv4Address> hostAddresses;
    private final DhcpHandler handler;
    private final Counters counters;
    private final BooleanSupplier running;

    CaptureLoop(Capture capture, Link link, Set<Ipv4Address> hostAddresses, DhcpHandler handler, Counters counters,
            BooleanSupplier running) {
        this.capture = capture;
        this.link = link;
        this.hostAddresses = hostAddresses;
        this.handler = handler;
        this.counters = counters;
        this.running = running;
    }

    @Override
    public void run() {
        while (running.getAsBoolean()) {
            byte[] frame;
            try {
                frame = capture.next();
            } catch (NotOpenException e) {
                return; // closed under us: only close() does that, after asking the loop to stop
            } catch (RuntimeException e) {
                long errors = counters.receiveErrors.incrementAndGet();
                if (Counters.worthLogging(errors)) {
                    LOG.log(System.Logger.Level.WARNING, "capture on " + link + " failed (" + errors + " so far)", e);
                }
                continue;
            }
            if (frame != null) {
                take(frame);
            }
        }
    }

    /** Decodes, checks and delivers one captured frame. */
    void take(byte[] frame) {
        Decoded decoded = FrameCodec.decode(frame);
        if (decoded instanceof RejectedFrame rejected) {
            dropped(rejected.reason());
            return;
        }
        UdpFrame udp = ((DecodedDatagram) decoded).frame();
        Optional<Ipv4Address> localAddress = link.localAddressFor(udp.destination(), hostAddresses);
        if (localAddress.isEmpty()) {
            dropped("datagram to " + udp.destination() + " is not for this host");
            return;
        }
        counters.received.incrementAndGet();
        Datagram datagram = new Datagram(udp.payload(), udp.source(), udp.sourcePort(), localAddress.get(),
                Optional.of(link.name()));
        try {
            handler.handle(datagram);
        } catch (RuntimeException e) {
            // The handler's contract forbids this; receiving must go on regardless.
            long failures = counters.handlerFailures.incrementAndGet();
            if (Counters.worthLogging(failures)) {
                LOG.log(System.Logger.Level.ERROR, "the DHCP handler threw on a datagram from " + udp.source() + ":"
                        + udp.sourcePort() + " on " + link.name() + " (" + failures + " so far)", e);
            }
        }
    }

    private void dropped(String reason) {
        long drops = counters.framesDropped.incrementAndGet();
        if (Counters.worthLogging(drops)) {
            LOG.log(System.Logger.Level.INFO, "dropped a frame on {0}: {1} ({2} dropped so far)",
                    link.name(), reason, String.valueOf(drops));
        } else {
            LOG.log(System.Logger.Level.DEBUG, "dropped a frame on {0}: {1}", link.name(), reason);
        }
    }
}
