package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Lease;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server policy decided to do about one request. The policy has already changed the
 * lease table; the decision says what must still happen outside it: which reply to send, and
 * which leases must be durable first.
 */
public sealed interface Decision {

    /**
     * Answer nothing.
     *
     * @param reason why, for the counters
     * @param detail more, for the log
     */
    record Drop(DropReason reason, String detail) implements Decision {
        public Drop {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * Answer nothing because the subnet has no address left for the client.
     *
     * @param subnet the exhausted subnet
     * @param reportDue true if the exhaustion should be reported to the operator now (at most
     *     once per {@link DhcpPolicy#EXHAUSTION_REPORT_INTERVAL}), not only counted
     */
    record Exhausted(SubnetConfig subnet, boolean reportDue) implements Decision {
        public Exhausted {
            Objects.requireNonNull(subnet, "subnet");
        }
    }

    /**
     * Send a reply now: an OFFER, a NAK, or the ACK to an INFORM, none of which promises a lease.
     *
     * @param message the reply
     * @param delivery where it goes (RFC 2131 §4.1)
     * @param maxLength the largest reply the client accepts, in the sense of option 57 (RFC 2132
     *     §9.10): the IP datagram, as {@link DhcpCodec#encode(DhcpMessage, int)} takes it
     */
    record Reply(DhcpMessage message, Delivery delivery, int maxLength) implements Decision {
        public Reply {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(delivery, "delivery");
        }

        /** The reply's message type. */
        public DhcpMessageType type() {
            return message.messageType().orElseThrow();
        }
    }

    /**
     * Write leases, and send the reply only once they are durable: the ACK to a REQUEST.
     *
     * @param reply the ACK
     * @param writes the leases to write, the binding the ACK announces first
     * @param refusedHostname the host name the client offered, if it was refused and so not
     *     stored with the binding, for the operator to count and see
     */
    record ReplyWhenDurable(Reply reply, List<Lease> writes, Optional<ClientHostName> refusedHostname)
            implements Decision {
        public ReplyWhenDurable {
            Objects.requireNonNull(reply, "reply");
            writes = List.copyOf(writes);
            if (writes.isEmpty()) {
                throw new IllegalArgumentException("an ACK waits for at least the lease it announces");
            }
            Objects.requireNonNull(refusedHostname, "refusedHostname");
            if (refusedHostname.isPresent() && refusedHostname.get().valid()) {
                throw new IllegalArgumentException("a valid host name is not refused");
            }
        }

        /** An ACK that refused no host name. */
        public ReplyWhenDurable(Reply reply, List<Lease> writes) {
            this(reply, writes, Optional.empty());
        }

        /** The binding the ACK announces. */
        public Lease binding() {
            return writes.get(0);
        }
    }

    /**
     * Write a lease and send nothing: the state change of a RELEASE or a DECLINE.
     *
     * @param lease the lease in its new state
     */
    record Record(Lease lease) implements Decision {
        public Record {
            Objects.requireNonNull(lease, "lease");
        }
    }
}
