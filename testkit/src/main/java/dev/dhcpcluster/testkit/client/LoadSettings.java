package dev.dhcpcluster.testkit.client;

import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link LoadGenerator} run does.
 *
 * @param count how many clients (distinct hardware addresses) obtain a lease
 * @param concurrency how many exchanges are in flight at once
 * @param timeout how long a request waits for its answer before it is sent again
 * @param retries how many times a request is sent again before its client gives up
 * @param renew renew each lease once after it is bound, and check the address stays
 * @param release release every lease at the end
 * @param expectedSubnet if present, every leased address must lie in it
 * @param firstMac the number of the first client's hardware address: client {@code i} gets
 *     {@code 02:00} followed by {@code firstMac + i} in four octets
 * @param relayAddress the giaddr of every request
 */
public record LoadSettings(
        int count,
        int concurrency,
        Duration timeout,
        int retries,
        boolean renew,
        boolean release,
        Optional<Ipv4Prefix> expectedSubnet,
        long firstMac,
        Ipv4Address relayAddress) {

    public LoadSettings {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(expectedSubnet, "expectedSubnet");
        Objects.requireNonNull(relayAddress, "relayAddress");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, not " + count);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative, not " + retries);
        }
        if (firstMac < 0 || firstMac + count > 0x1_0000_0000L) {
            throw new IllegalArgumentException("hardware addresses " + firstMac + " to " + (firstMac + count - 1)
                    + " do not fit in four octets");
        }
        if (relayAddress.isZero()) {
            throw new IllegalArgumentException("the relay address (giaddr) must not be 0.0.0.0");
        }
    }

    /**
     * The longest a run can take if every request needs all its retries: a bound for waiting on
     * it, not an estimate.
     */
    public Duration longestRun() {
        long waves = (count + concurrency - 1) / concurrency;
        long phases = renew ? 3 : 2;
        return timeout.multipliedBy(waves * phases * (retries + 1L)).plusSeconds(10);
    }

    /** The synthetic, locally administered hardware address of client {@code index}. */
    public HardwareAddress hardwareAddress(int index) {
        long number = firstMac + index;
        return HardwareAddress.ethernet(new byte[] {
            0x02, 0x00, (byte) (number >>> 24), (byte) (number >>> 16), (byte) (number >>> 8), (byte) number});
    }
}
