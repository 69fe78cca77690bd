package dev.dhcpcluster.bootstrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dhcpcluster.bootstrap.admin.AdminJson;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

    @Test
    @DisplayName("uptime reads as days, hours, minutes and seconds")
    void uptime() {
        assertEquals("0s", StatusCommand.uptime(0));
        assertEquals("1m 5s", StatusCommand.uptime(65));
        assertEquals("2h 0m 1s", StatusCommand.uptime(7201));
        assertEquals("1d 0h 0m 0s", StatusCommand.uptime(86_400));
    }

    @Test
    @DisplayName("text in the node's answer is escaped in the table: one line stays one line")
    void escaped() throws Exception {
        JsonNode status = AdminJson.MAPPER.readTree("""
                {"node": 1, "version": "x\\nINFO fake", "started": "2030-01-01T00:00:00Z", "uptime-seconds": 5,
                 "transport": {"endpoint": "udp 127.0.0.1:67"}, "store": {"type": "memory", "description": "memory (volatile)"},
                 "cluster": {"mode": "single-node", "leader": 1, "members": [1]},
                 "traffic": {"received": {"DISCOVER": 2}, "sent": {}, "dropped": {}},
                 "pools": [{"subnet": "198.18.0.0/24", "total": 10, "free": 9, "offered": 1, "bound": 0, "declined": 0}]}
                """);

        List<String> lines = StatusCommand.table(status);

        assertEquals("node       1 (dhcpcluster x\\nINFO fake)", lines.get(0));
        assertTrue(lines.contains("store      memory (volatile): 0 commits, 0 changes, 0.0 ms average commit, 0 failed"), lines.toString());
        assertTrue(lines.contains("traffic    received 2 DISCOVER; sent nothing; dropped nothing"), lines.toString());
        assertTrue(lines.get(lines.size() - 1).matches("198\\.18\\.0\\.0/24\\s+10\\s+9\\s+1\\s+0\\s+0"), lines.toString());
    }
}
