package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Encode then decode many random valid messages. Each case has its own seed, printed on failure;
 * rerun one with {@code -Ddhcp.codec.seed=<seed>} (the base seed; cases use base + index).
 */
class DhcpCodecPropertyTest {

    private static final int CASES = 3000;
    private static final long BASE_SEED = Long.getLong("dhcp.codec.seed", 0x5eed_d4c9L);

    @Test
    @DisplayName("#30 #31 #32 random messages survive encode then decode, within the maximum size and at least 300 octets")
    void randomMessagesRoundTrip() {
        int encoded = 0;
        int overloaded = 0;
        int split = 0;
        for (int index = 0; index < CASES; index++) {
            long seed = BASE_SEED + index;
            Random random = new Random(seed);
            DhcpMessage message = randomMessage(random);
            int maxMessageSize = randomMaxMessageSize(random);
            try {
                Outcome outcome = roundTrip(message, maxMessageSize);
                encoded += outcome == Outcome.REFUSED ? 0 : 1;
                overloaded += outcome == Outcome.OVERLOADED ? 1 : 0;
                split += hasLongOption(message) && outcome != Outcome.REFUSED ? 1 : 0;
            } catch (AssertionError | RuntimeException | MalformedPacketException e) {
                fail("case with seed " + seed + " (maxMessageSize " + maxMessageSize + ", " + message + ") failed: " + e, e);
            }
        }
        System.out.printf("%d cases from seed %d: %d encoded, %d overloaded, %d split%n", CASES, BASE_SEED, encoded, overloaded, split);
        // The generator must exercise every path, or the test proves little.
        assertTrue(encoded > CASES * 2 / 3, "only " + encoded + " of " + CASES + " encoded");
        assertTrue(overloaded > CASES / 40, "only " + overloaded + " overloaded");
        assertTrue(split > CASES / 40, "only " + split + " with options longer than 255 octets");
    }

    private enum Outcome { PLAIN, OVERLOADED, REFUSED }

    private static Outcome roundTrip(DhcpMessage message, int maxMessageSize) throws MalformedPacketException {
        int payloadLimit = DhcpCodec.maxPayloadLength(maxMessageSize);
        byte[] raw;
        try {
            raw = DhcpCodec.encode(message, maxMessageSize);
        } catch (IllegalArgumentException refused) {
            int needed = DhcpCodec.OPTIONS_OFFSET + 1;
            for (int i = 0; i < message.options().size(); i++) {
                needed += DhcpCodec.wireLength(message.options().valueLengthAt(i));
            }
            assertTrue(needed > payloadLimit, "refused although " + needed + " octets fit in " + payloadLimit + ": " + refused);
            return Outcome.REFUSED;
        }
        assertTrue(raw.length <= payloadLimit, raw.length + " > " + payloadLimit);
        assertTrue(raw.length >= DhcpCodec.MIN_MESSAGE_LENGTH, raw.length + " < 300");

        byte[] buffer = new byte[raw.length + 3];
        Arrays.fill(buffer, (byte) 0x77);
        assertEquals(raw.length, DhcpCodec.encode(message, maxMessageSize, buffer, 3));
        assertArrayEquals(raw, Arrays.copyOfRange(buffer, 3, buffer.length));

        DhcpMessage decoded = DhcpCodec.decode(raw);
        boolean overloaded = !Arrays.equals(message.file(), Arrays.copyOfRange(raw, DhcpCodec.FILE, DhcpCodec.FILE + 128))
                || !Arrays.equals(message.sname(), Arrays.copyOfRange(raw, DhcpCodec.SNAME, DhcpCodec.SNAME + 64));
        if (overloaded) {
            assertEquals(DhcpCodecEncodeTest.sortedOptions(message), DhcpCodecEncodeTest.sortedOptions(decoded));
            return Outcome.OVERLOADED;
        }
        assertEquals(message, decoded);
        assertArrayEquals(raw, DhcpCodec.encode(decoded, maxMessageSize));
        return Outcome.PLAIN;
    }

    private static boolean hasLongOption(DhcpMessage message) {
        for (int i = 0; i < message.options().size(); i++) {
            if (message.options().valueLengthAt(i) > DhcpCodec.MAX_OPTION_INSTANCE_LENGTH) {
                return true;
            }
        }
        return false;
    }

    private static int randomMaxMessageSize(Random random) {
        return switch (random.nextInt(4)) {
            case 0, 1 -> DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH;
            case 2 -> DhcpCodec.ETHERNET_MTU;
            default -> 576 + random.nextInt(65535 - 576 + 1);
        };
    }

    static DhcpMessage randomMessage(Random random) {
        DhcpMessage.Builder message = DhcpMessage.builder()
                .op(1 + random.nextInt(2))
                .htype(random.nextInt(256))
                .hlen(random.nextInt(17))
                .hops(random.nextInt(256))
                .xid(random.nextInt())
                .secs(random.nextInt(65536))
                .flags(random.nextInt(65536))
                .ciaddr(Ipv4Address.of(random.nextInt()))
                .yiaddr(Ipv4Address.of(random.nextInt()))
                .siaddr(Ipv4Address.of(random.nextInt()))
                .giaddr(Ipv4Address.of(random.nextInt()))
                .chaddr(bytes(random, 16));
        if (random.nextInt(4) == 0) {
            message.sname(bytes(random, 1 + random.nextInt(64)));
        }
        if (random.nextInt(4) == 0) {
            message.file(bytes(random, 1 + random.nextInt(128)));
        }
        DhcpOptions.Builder options = DhcpOptions.builder();
        if (random.nextInt(4) == 0) {
            // Many medium options adding up to about what 576 octets hold: the overload range.
            int target = 250 + random.nextInt(230);
            int total = 0;
            while (total < target) {
                int code = 1 + random.nextInt(254);
                if (code == OptionCode.OVERLOAD || options.contains(code)) {
                    continue;
                }
                int length = random.nextInt(61);
                options.put(code, bytes(random, length));
                total += 2 + length;
            }
            return message.options(options.build()).build();
        }
        int count = random.nextInt(16);
        for (int i = 0; i < count; i++) {
            int code = 1 + random.nextInt(254);
            if (code == OptionCode.OVERLOAD || options.contains(code)) {
                continue;
            }
            int length = switch (random.nextInt(12)) {
                case 0 -> 0;
                case 1 -> 200 + random.nextInt(600);
                case 2 -> 40 + random.nextInt(80);
                default -> 1 + random.nextInt(16);
            };
            options.put(code, bytes(random, length));
        }
        return message.options(options.build()).build();
    }

    private static byte[] bytes(Random random, int length) {
        byte[] value = new byte[length];
        random.nextBytes(value);
        return value;
    }
}
