package dev.dhcpcluster.bootstrap.runtime;

import java.util.Locale;

/** Why the event loop dropped a DHCP datagram unanswered (see {@link EventLoop}). */
public enum ShedReason {

    /** Pushed out of its class's full queue by a newer datagram of the class: the oldest goes first. */
    FULL,

    /** Waited longer than the age limit ({@code node.dhcp-queue.max-age-ms}): its client stopped waiting. */
    EXPIRED;

    /** The reason's name in metrics: {@code full}, {@code expired}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
