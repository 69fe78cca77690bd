package dev.dhcpcluster.testkit.client;

import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.time.Duration;

/** What a {@link ClientSession} wants done after a reply or a timeout. */
public sealed interface Reaction {

    /** Send this message (a new one, or a retransmission) and wait for the answer. */
    record Send(DhcpMessage message) implements Reaction {
    }

    /**
     * The client holds a lease: a DHCPACK to its REQUEST passed every check.
     *
     * @param leaseTime the lease time the ACK granted (option 51)
     */
    record Bound(Ipv4Address address, Duration leaseTime) implements Reaction {
    }

    /**
     * The client renewed its lease and kept its address.
     *
     * @param leaseTime the lease time the ACK granted (option 51)
     */
    record Renewed(Ipv4Address address, Duration leaseTime) implements Reaction {
    }

    /**
     * The client gave up, or got an answer no correct server sends.
     *
     * @param nak true if the cause is a DHCPNAK
     */
    record Failed(String reason, boolean nak) implements Reaction {
    }

    /** The message does not concern this client now (a late duplicate, another transaction). */
    record Ignored(String why) implements Reaction {
    }
}
