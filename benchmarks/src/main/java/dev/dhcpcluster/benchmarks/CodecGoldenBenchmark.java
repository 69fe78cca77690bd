package dev.dhcpcluster.benchmarks;

import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.MalformedPacketException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The codec alone on each golden packet: the datagrams captured from real clients (ISC dhclient
 * and busybox udhcpc) that core's codec tests decode field by field, here decoded from their
 * bytes and encoded back from the decoded message.
 *
 * <p>The packets are core's test resources ({@code dev/dhcpcluster/core/dhcp/golden/*.bin}),
 * which this module's build copies into the benchmarks jar; {@link #packet} names every one of
 * them, and a test of this module fails if a golden packet is added without it.
 */
@State(Scope.Thread)
public class CodecGoldenBenchmark extends BenchmarkBase {

    /** The resource directory of the golden packets, as on core's test class path. */
    static final String GOLDEN = "/dev/dhcpcluster/core/dhcp/golden/";

    /** The golden packet, by the name of its file without {@code .bin}. */
    @Param({"dhclient-discover", "dhclient-request", "udhcpc-discover", "udhcpc-request"})
    public String packet;

    private byte[] raw;
    private DhcpMessage decoded;

    @Setup(Level.Trial)
    public void load() throws MalformedPacketException {
        try (InputStream in = CodecGoldenBenchmark.class.getResourceAsStream(GOLDEN + packet + ".bin")) {
            if (in == null) {
                throw new IllegalArgumentException("no golden packet " + packet + " in " + GOLDEN);
            }
            raw = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        decoded = DhcpCodec.decode(raw);
        // What is measured must be the codec doing its whole work: the round trip is exact.
        if (!Arrays.equals(raw, DhcpCodec.encode(decoded, DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH))) {
            throw new IllegalStateException("the golden packet " + packet + " does not encode back to its bytes");
        }
    }

    @Benchmark
    public DhcpMessage decode() throws MalformedPacketException {
        return DhcpCodec.decode(raw);
    }

    @Benchmark
    public byte[] encode() {
        return DhcpCodec.encode(decoded, DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
    }
}
