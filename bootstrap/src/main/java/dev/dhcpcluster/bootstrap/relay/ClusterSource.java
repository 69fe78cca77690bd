package dev.dhcpcluster.bootstrap.relay;

import dev.dhcpcluster.core.relay.ClusterPicture;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a relay's picture of the cluster comes from: asked once per request, from any thread, and
 * closed when the relay stops. A relay without {@code relay.cluster} has {@link #none()}; a cluster
 * relay's comes from the observer connections to the nodes.
 */
public interface ClusterSource extends Supplier<ClusterPicture>, AutoCloseable {

    /** What the relay knows of the cluster now. */
    @Override
    ClusterPicture get();

    /** Stops watching; idempotent. */
    @Override
    void close();

    /** The source of a relay that knows no cluster: never reached, so every request goes to every server. */
    static ClusterSource none() {
        return of(ClusterPicture::neverReached, () -> { });
    }

    /** A source that asks {@code picture} and runs {@code close} when closed. */
    static ClusterSource of(Supplier<ClusterPicture> picture, Runnable close) {
        Objects.requireNonNull(picture, "picture");
        Objects.requireNonNull(close, "close");
        return new ClusterSource() {
            @Override
            public ClusterPicture get() {
                return picture.get();
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }
}
