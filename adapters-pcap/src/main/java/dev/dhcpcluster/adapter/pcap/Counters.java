package dev.dhcpcluster.adapter.pcap;

import java.util.concurrent.atomic.AtomicLong;

/** What a pcap transport counts, shared by its sending callers and its capture threads. */
final class Counters {

    final AtomicLong received = new AtomicLong();
    final AtomicLong framesDropped = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong sendFailures = new AtomicLong();
    final AtomicLong receiveErrors = new AtomicLong();
    final AtomicLong handlerFailures = new AtomicLong();

    /**
     * Whether the {@code count}-th occurrence of a recurring problem deserves a log line: the
     * first, then every thousandth, so a persistent fault shows without flooding the log.
     */
    static boolean worthLogging(long count) {
        return count == 1 || count % 1000 == 0;
    }
}
