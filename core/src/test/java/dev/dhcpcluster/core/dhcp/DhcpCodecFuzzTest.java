package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of {@link DhcpCodec#decode(byte[])} with Jazzer: whatever bytes arrive,
 * the decoder either returns a message or throws {@link MalformedPacketException}. Any other
 * exception (an index out of bounds, a negative array size, an assertion inside the builder) is a
 * finding, because the server catches only that one exception and anything else would escape the
 * receive path.
 *
 * <p>What decodes must also encode: the decoded message, written with the largest maximum
 * message size, decodes back to the same message. That is the promise that lets a relay or a
 * test tool re-send what it received.
 *
 * <h2>Seeds</h2>
 * The corpus starts from {@link FuzzSeeds#datagrams()}: the golden packets captured from real
 * clients and requests reshaped from them. Inputs that once failed are kept as regression seeds in
 * {@code src/test/resources/dev/dhcpcluster/core/dhcp/DhcpCodecFuzzTestInputs/decodingThrowsNothingButMalformedPacketException/}
 * (Jazzer's inputs directory for this method), one file per input, named for the bug.
 *
 * <h2>Running</h2>
 * <ul>
 *   <li>{@code ./mvnw verify}: regression mode. The test runs once on the empty input, each seed
 *       and each file in the inputs directory, like any parameterized test.</li>
 *   <li>{@code ./mvnw -B verify} in CI ({@code CI=true}) or with {@code -Pfuzz}: after the unit
 *       tests, core's {@code fuzz-codec} surefire execution runs this class alone with
 *       {@code JAZZER_FUZZ=1} for {@code fuzz.maxDuration} (see core's pom). A finding fails the
 *       build; the input is written to {@code core/target/fuzz/} and its path printed. To keep it,
 *       copy it into the inputs directory above and fix the bug.</li>
 * </ul>
 */
class DhcpCodecFuzzTest {

    @MethodSource("dev.dhcpcluster.core.dhcp.FuzzSeeds#datagrams")
    @FuzzTest(maxDuration = "25s")
    @DisplayName("any datagram decodes or raises MalformedPacketException, and what decodes re-encodes to the same message")
    void decodingThrowsNothingButMalformedPacketException(byte[] datagram) {
        DhcpMessage message;
        try {
            message = DhcpCodec.decode(datagram);
        } catch (MalformedPacketException expected) {
            return;
        }
        byte[] encoded = DhcpCodec.encode(message, DhcpCodec.MAX_DATAGRAM_LENGTH + DhcpCodec.IP_UDP_OVERHEAD);
        DhcpMessage again;
        try {
            again = DhcpCodec.decode(encoded);
        } catch (MalformedPacketException e) {
            throw new AssertionError("the encoder wrote what the decoder refuses: " + e.getMessage(), e);
        }
        if (isOverloaded(encoded)) {
            // Options moved into sname/file come back after the others: compare them as sets.
            assertEquals(DhcpCodecEncodeTest.sortedOptions(message), DhcpCodecEncodeTest.sortedOptions(again));
        } else {
            assertEquals(message, again);
            assertArrayEquals(encoded, DhcpCodec.encode(again, DhcpCodec.MAX_DATAGRAM_LENGTH + DhcpCodec.IP_UDP_OVERHEAD));
        }
    }

    /** True if the encoder used option 52, found by decoding the options field alone. */
    static boolean isOverloaded(byte[] encoded) {
        int i = DhcpCodec.OPTIONS_OFFSET;
        while (i < encoded.length) {
            int code = encoded[i] & 0xFF;
            if (code == OptionCode.END) {
                return false;
            }
            if (code == OptionCode.PAD) {
                i++;
                continue;
            }
            if (code == OptionCode.OVERLOAD) {
                return true;
            }
            i += 2 + (encoded[i + 1] & 0xFF);
        }
        return false;
    }
}
