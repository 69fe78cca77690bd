package dev.dhcpcluster.adapter.tcppeer;

import dev.dhcpcluster.port.peer.PeerRefusal;
import java.util.Optional;

/**
 * A connection is refused or closed for {@link #reason}: reported once, with {@link #getMessage()}
 * as the detail, and {@link #tellRemote} sent to the other side first when it helps its operator.
 */
final class RefusalException extends Exception {

    private static final long serialVersionUID = 1L;

    final PeerRefusal reason;
    final transient Optional<String> tellRemote;

    RefusalException(PeerRefusal reason, String detail, Optional<String> tellRemote) {
        super(detail, null, false, false);
        this.reason = reason;
        this.tellRemote = tellRemote;
    }

    /** A refusal this node decides and tells the other side about. */
    static RefusalException told(PeerRefusal reason, String detail, String tellRemote) {
        return new RefusalException(reason, detail, Optional.of(tellRemote));
    }

    /** A refusal this node decides and keeps to itself. */
    static RefusalException silent(PeerRefusal reason, String detail) {
        return new RefusalException(reason, detail, Optional.empty());
    }
}
