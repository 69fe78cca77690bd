package dev.dhcpcluster.adapter.udp;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The address broadcasts are sent to, which moves once from the limited broadcast to the
 * directed one if the host turns out to have no route for the former (a network namespace or
 * host without a default route answers "Network is unreachable"). Thread-safe.
 */
final class BroadcastRoute {

    private static final System.Logger LOG = System.getLogger(UdpDhcpTransport.class.getName());

    private final AtomicReference<Ipv4Address> current;
    private final Optional<Ipv4Address> fallback;

    BroadcastRoute(Addressing addressing) {
        this.current = new AtomicReference<>(addressing.broadcastTarget());
        this.fallback = addressing.broadcastFallback();
    }

    /** Where the next broadcast goes. */
    Ipv4Address target() {
        return current.get();
    }

    /**
     * Called when a broadcast to {@code failedTarget} failed with {@code error}. If that was the
     * limited broadcast, the failure means "no route", and a directed broadcast is known, switches
     * to it for good (logging the switch, once) and returns it, for the caller to resend there.
     * Otherwise returns empty and the failure stands.
     */
    Optional<Ipv4Address> switchAfter(Ipv4Address failedTarget, IOException error) {
        if (!failedTarget.equals(Ipv4Address.BROADCAST) || fallback.isEmpty() || !isUnreachable(error)) {
            return Optional.empty();
        }
        if (current.compareAndSet(Ipv4Address.BROADCAST, fallback.get())) {
            LOG.log(System.Logger.Level.WARNING, "broadcast to {0} failed ({1}); sending broadcasts to {2} from now on",
                    Ipv4Address.BROADCAST, error.getMessage(), fallback.get());
        }
        return fallback;
    }

    /** True for the errors a send gets when the kernel has no route to the destination. */
    static boolean isUnreachable(IOException error) {
        if (error instanceof NoRouteToHostException) {
            return true;
        }
        String message = error.getMessage();
        return error instanceof SocketException && message != null
                && message.toLowerCase(Locale.ROOT).contains("network is unreachable");
    }
}
