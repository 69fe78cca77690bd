package dev.dhcpcluster.core.dhcp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the server policy with Jazzer: any datagram that decodes is put to
 * {@link DhcpPolicy#decide} on a {@link FuzzNetwork} (directly attached and relayed links, a
 * reservation, long options, a pool that runs dry, clients already bound, offered, released and
 * declined), on each of the server's interfaces in turn and once more after offers and short
 * leases have lapsed. The policy must never throw, and every reply it decides to send must pass
 * {@link ReplyValidator}: it encodes within the client's maximum, decodes back to the same
 * message, and keeps RFC-CHECKLIST lines 1-4, 6 and 32.
 *
 * <p>Each input meets a server built afresh from the same virtual time, so a finding replays
 * exactly from its input alone.
 *
 * <h2>Seeds</h2>
 * The corpus starts from {@link FuzzSeeds#datagrams()}: the golden packets captured from real
 * clients and requests reshaped from them to the addresses of {@link FuzzNetwork}. Inputs that
 * once failed are kept as regression seeds in
 * {@code src/test/resources/dev/dhcpcluster/core/dhcp/DhcpPolicyFuzzTestInputs/everyReplyIsAValidBootReply/}
 * (Jazzer's inputs directory for this method).
 *
 * <h2>Running</h2>
 * As {@link DhcpCodecFuzzTest}: replayed by every {@code ./mvnw verify}; fuzzed for
 * {@code fuzz.maxDuration} by core's {@code fuzz-policy} surefire execution in CI ({@code CI=true})
 * or with {@code -Pfuzz}.
 */
class DhcpPolicyFuzzTest {

    @MethodSource("dev.dhcpcluster.core.dhcp.FuzzSeeds#datagrams")
    @FuzzTest(maxDuration = "25s")
    @DisplayName("#1 #2 #3 #4 #6 #32 every reply the policy decides for any datagram is a valid BOOTREPLY that fits the client and decodes back")
    void everyReplyIsAValidBootReply(byte[] datagram) {
        DhcpMessage request;
        try {
            request = DhcpCodec.decode(datagram);
        } catch (MalformedPacketException malformed) {
            return; // dropped before the policy sees it; DhcpCodecFuzzTest covers the decoder
        }
        FuzzNetwork network = FuzzNetwork.warmedUp();
        for (Ipv4Address local : FuzzNetwork.LOCAL_ADDRESSES) {
            ReplyValidator.check(request, network.decide(request, local));
            network.clock.advance(Duration.ofSeconds(1));
        }
        // The same request again once offers and the kiosk's two-minute leases have lapsed.
        network.clock.advance(Duration.ofMinutes(3));
        ReplyValidator.check(request, network.decide(request, FuzzNetwork.LAB_SERVER));
    }
}
