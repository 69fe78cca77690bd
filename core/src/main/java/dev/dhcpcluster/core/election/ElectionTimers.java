package dev.dhcpcluster.core.election;

import java.time.Duration;
import java.util.Objects;

/**
 * The election's timers, all measured on each node's own clock.
 *
 * @param heartbeatInterval how often a node tells every peer where it stands
 * @param failureTimeout how long a peer may stay silent before a node counts it as gone; a
 *     follower that has not heard its leader for this long starts an election, and a leader that
 *     has not heard a majority for this long steps down. Several heartbeat intervals, so that one
 *     or two lost heartbeats do not start an election.
 * @param answerTimeout how long a candidate waits for an Answer from a higher node before it
 *     proposes itself: a round trip to the farthest peer, with room for a busy node
 * @param coordinatorTimeout how long a candidate that got an Answer waits for the higher node's
 *     Coordinator before it starts the election again; also how long a proposed leader waits for
 *     a majority of acknowledgements before it proposes again
 */
public record ElectionTimers(Duration heartbeatInterval, Duration failureTimeout, Duration answerTimeout,
        Duration coordinatorTimeout) {

    /** Defaults for a LAN: a dead leader is replaced in about 1.5 s, well within 2 s. */
    public static final ElectionTimers DEFAULTS = new ElectionTimers(Duration.ofMillis(200), Duration.ofMillis(1000),
            Duration.ofMillis(300), Duration.ofMillis(600));

    public ElectionTimers {
        requirePositive(heartbeatInterval, "heartbeatInterval");
        requirePositive(failureTimeout, "failureTimeout");
        requirePositive(answerTimeout, "answerTimeout");
        requirePositive(coordinatorTimeout, "coordinatorTimeout");
        if (failureTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the failure timeout (" + failureTimeout.toMillis()
                    + " ms) must be at least twice the heartbeat interval (" + heartbeatInterval.toMillis()
                    + " ms), or one late heartbeat starts an election");
        }
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + duration);
        }
    }
}
