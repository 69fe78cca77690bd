package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCountsTest {

    private static final EventCounts.StoreCounts NO_COMMITS =
            new EventCounts.StoreCounts(0, 0, 0, 0, Duration.ZERO, Duration.ZERO, 0, 0);

    @Test
    void trafficNamesEachTypeAndReasonThatOccurredInProtocolOrder() {
        EventCounts counts = new EventCounts(
                Map.of(DhcpMessageType.REQUEST, 100L, DhcpMessageType.DISCOVER, 10000L, DhcpMessageType.INFORM, 0L),
                Map.of(DhcpMessageType.ACK, 100L, DhcpMessageType.OFFER, 100L),
                Map.of(DropReason.POOL_EXHAUSTED, 9900L, DropReason.MALFORMED, 2L), 100, 0, 0, 1, 0, NO_COMMITS);

        assertEquals("received 10000 DISCOVER, 100 REQUEST; sent 100 OFFER, 100 ACK; dropped 2 MALFORMED, "
                + "9900 POOL_EXHAUSTED", counts.describeTraffic());
    }

    @Test
    void trafficOfAnIdleNodeSaysNothing() {
        EventCounts counts = new EventCounts(Map.of(), Map.of(), Map.of(), 0, 0, 0, 0, 0, NO_COMMITS);

        assertEquals("received nothing; sent nothing; dropped nothing", counts.describeTraffic());
    }
}
