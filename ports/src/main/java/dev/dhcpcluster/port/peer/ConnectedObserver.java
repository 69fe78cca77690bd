package dev.dhcpcluster.port.peer;

import java.util.Objects;

/**
 * An observer (a relay agent that watches the cluster) connected to this node now, for
 * {@code /status}: who it says it is and where it connects from.
 *
 * @param name the name it proved the cluster secret under, as it sent it; not to be printed
 *     unescaped
 * @param remote where it connects from, as the transport spells an address ({@code address:port}
 *     for TCP)
 */
public record ConnectedObserver(String name, String remote) {

    public ConnectedObserver {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(remote, "remote");
    }
}
