package dev.dhcpcluster.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Waits on a relay's {@code /status} object, a standalone relay's or the one a node shows. */
final class RelayStatusWait {

    /** How long a relay may take to reach the cluster and hear every node. */
    static final Duration RELAY_WAIT = Duration.ofSeconds(30);
    /** How long one assignment must hold before the relay is taken to know every bucket's owner. */
    private static final Duration STEADY = Duration.ofSeconds(1);

    private RelayStatusWait() {
    }

    /**
     * Waits until the relay has reached the cluster, sees every node of a {@link LabCluster} up,
     * and has held one assignment for a second: from then on it knows the owner of every bucket.
     *
     * @param status reads the relay's status object now
     * @param what names the relay in the failure message
     * @param evidence what the failure message shows
     */
    static void untilItKnowsTheCluster(Supplier<JsonNode> status, String what, Supplier<String> evidence) {
        String[] assignment = {""};
        long[] since = {0};
        Poll.until(RELAY_WAIT, what + " to know the cluster", () -> {
            JsonNode now = status.get();
            JsonNode view = now.path("cluster");
            boolean allUp = now.path("servers").size() == LabCluster.SIZE;
            for (JsonNode server : now.path("servers")) {
                allUp &= server.path("up").asBoolean(false);
            }
            String held = view.path("assignment").asText("none");
            if (!view.path("reached").asBoolean(false) || !allUp || held.equals("none")) {
                assignment[0] = "";
                return Optional.empty();
            }
            if (!held.equals(assignment[0])) {
                assignment[0] = held;
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] >= STEADY.toNanos() ? Optional.of(true) : Optional.empty();
        }, evidence);
    }
}
