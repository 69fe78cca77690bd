package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dhcpcluster.core.cluster.LoadBalancing;
import dev.dhcpcluster.port.model.HardwareAddress;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which octets of a request decide its client's RFC 3074 bucket. */
class ClientBucketsTest {

    private static final String MAC = "02:00:00:00:00:01";

    @Test
    @DisplayName("#36 with option 61 the bucket is the hash of the option's whole value, type octet included")
    void clientIdentifierIsHashedWithItsType() {
        DhcpMessage request = TestPackets.discover().withHardwareAddress(MAC).withClientId("01:02:00:00:00:00:01").build();

        // 14 is the hash of the seven octets (LoadBalancingTest works it out); the six octets
        // after the type octet would give 133, the bucket of the bare MAC.
        assertEquals(14, ClientBuckets.bucketOf(request));
    }

    @Test
    @DisplayName("#36 without option 61 the bucket is the hash of chaddr's hlen octets, without htype")
    void hardwareAddressIsHashedAlone() {
        DhcpMessage ethernet = TestPackets.discover().withHardwareAddress(MAC).build();
        DhcpMessage otherType = TestPackets.discover().withHardwareAddress(HardwareAddress.of(6,
                new byte[] {2, 0, 0, 0, 0, 1})).build();
        DhcpMessage shorter = TestPackets.discover().withHardwareAddress(MAC).withHlen(3).build();

        assertEquals(133, ClientBuckets.bucketOf(ethernet));
        assertEquals(133, ClientBuckets.bucketOf(otherType));
        assertEquals(LoadBalancing.hash(new byte[] {2, 0, 0}), ClientBuckets.bucketOf(shorter));
    }

    @Test
    @DisplayName("#36 an empty option 61 counts as absent, as it does for the lease key")
    void emptyClientIdentifierIsIgnored() {
        DhcpMessage request = TestPackets.discover().withHardwareAddress(MAC).withClientId(new byte[0]).build();

        assertEquals(133, ClientBuckets.bucketOf(request));
    }

    @Test
    @DisplayName("#36 a client keeps its bucket through encoding and decoding, and from one message type to the next")
    void bucketSurvivesTheWire() throws MalformedPacketException {
        TestPackets.Packet discover = TestPackets.discover().withHardwareAddress(MAC).withClientId("00:61:62:63");
        TestPackets.Packet request = TestPackets.request().withHardwareAddress("02:00:00:00:00:09")
                .withClientId("00:61:62:63").withCiaddr("198.18.0.14");

        int bucket = ClientBuckets.bucketOf(discover.build());

        assertEquals(bucket, ClientBuckets.bucketOf(DhcpCodec.decode(discover.encode())));
        assertEquals(bucket, ClientBuckets.bucketOf(DhcpCodec.decode(request.encode())));
    }

    @Test
    @DisplayName("computing a request's bucket allocates nothing")
    void bucketOfAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "this JVM cannot count allocated bytes");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count allocated bytes");
        DhcpMessage withId = TestPackets.discover().withClientId("01:02:00:00:00:00:01").build();
        DhcpMessage withoutId = TestPackets.discover().build();
        long thread = Thread.currentThread().getId();
        int sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += ClientBuckets.bucketOf(withId) + ClientBuckets.bucketOf(withoutId);
        }

        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            sink += ClientBuckets.bucketOf(withId) + ClientBuckets.bucketOf(withoutId);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // 200,000 calls: even one 16-octet object each would be 3 MB. What is left is the
        // measurement's own few bytes.
        assertTrue(allocated < 1024, allocated + " bytes allocated by 200,000 calls");
        assertEquals(100_000 * (14 + 133) + 20_000 * (14 + 133), sink);
    }
}
