package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PerfdhcpReportTest {

    private static final String OUTPUT = String.join("\n",
            "Running: perfdhcp -4 -r 1000 -R 2000 -n 2000 -u -l 198.18.8.1 198.18.0.1",
            "Scenario: basic.",
            "***Rate statistics***",
            "Rate: 987.25 4-way exchanges/second, expected rate: 1000",
            "",
            "***Malformed Packets***",
            "Malformed packets: 0",
            "***Statistics for: DISCOVER-OFFER***",
            "sent packets: 2000",
            "received packets: 1990",
            "drops: 10",
            "drops ratio: 0.5 %",
            "orphans: 0",
            "rejected leases: 0",
            "non unique addresses: 0",
            "",
            "min delay: 0.1 ms",
            "***Statistics for: REQUEST-ACK***",
            "sent packets: 1990",
            "received packets: 1990",
            "drops: 0",
            "drops ratio: 0 %",
            "orphans: 0",
            "rejected leases: 1",
            "non unique addresses: 2",
            "");

    @Test
    void theFinalReportIsReadPerExchange() {
        PerfdhcpReport report = PerfdhcpReport.parse(OUTPUT);

        assertEquals(987.25, report.rate());
        assertEquals(new PerfdhcpReport.Exchange(2000, 1990, 10, 0, 0), report.exchange("DISCOVER-OFFER"));
        assertEquals(new PerfdhcpReport.Exchange(1990, 1990, 0, 2, 1), report.exchange("REQUEST-ACK"));
        assertEquals(0.005, report.exchange("DISCOVER-OFFER").dropRatio());
    }

    @Test
    void outputWithoutAFinalReportIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PerfdhcpReport.parse("Error running perfdhcp: no socket"));
        assertThrows(IllegalArgumentException.class,
                () -> PerfdhcpReport.parse("Rate: 0 4-way exchanges/second, expected rate: 1\n"));
    }
}
