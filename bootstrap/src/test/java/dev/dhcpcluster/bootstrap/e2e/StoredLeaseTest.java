package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredLeaseTest {

    @Test
    void leaseLinesAreReadAndTheHeaderAndLogLinesLeftOut() {
        String output = String.join("\n",
                "2026-11-22T07:04:38.957Z INFO  SqliteLeaseStore: lease database /x/leases.db: 2 lease(s)",
                "address state expiry hardware-address client writer version hostname",
                "198.18.0.100 BOUND 2026-11-22T07:05:30.412Z 02:00:00:00:00:01 01:02:00:00:00:00:01 1 0.3.1 -",
                "198.18.0.101 RELEASED 2026-11-22T07:06:00Z 02:00:00:00:00:02 hw:02:00:00:00:00:02 1 0.1.1 my host",
                "");

        List<StoredLease> leases = StoredLease.parse(output);

        assertEquals(List.of(
                new StoredLease("198.18.0.100", "BOUND", Instant.parse("2026-11-22T07:05:30.412Z"),
                        "01:02:00:00:00:00:01"),
                new StoredLease("198.18.0.101", "RELEASED", Instant.parse("2026-11-22T07:06:00Z"),
                        "hw:02:00:00:00:00:02")), leases);
    }
}
