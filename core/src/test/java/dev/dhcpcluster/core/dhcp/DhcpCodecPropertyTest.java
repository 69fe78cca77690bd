package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    @Test
    @DisplayName("#30 #31 options split at any octet, padded, and spread over options, file and sname decode joined in that order")
    void foreignSplitsAndOverloadDecodeJoined() {
        long base = BASE_SEED + 1_000_000;
        int overloaded = 0;
        for (int index = 0; index < CASES; index++) {
            long seed = base + index;
            Wire wire = Wire.random(new Random(seed));
            try {
                DhcpMessage decoded = DhcpCodec.decode(wire.datagram());
                assertEquals(wire.expected(), decoded);
            } catch (AssertionError | RuntimeException | MalformedPacketException e) {
                fail("case with seed " + seed + " (" + wire + ") failed: " + e, e);
            }
            overloaded += wire.overload() != 0 ? 1 : 0;
        }
        System.out.printf("%d foreign wire cases from seed %d: %d overloaded%n", CASES, base, overloaded);
        assertTrue(overloaded > CASES / 2, "only " + overloaded + " overloaded");
    }

    /**
     * A datagram as another implementation may write it: each option cut into instances of random
     * sizes (RFC 3396 allows any cut), PAD between instances, option 52 anywhere in the options
     * field, and instances spread over options, file and sname in an order that keeps each
     * option's pieces in the order options, file, sname; with the message the decoder must make
     * of it.
     */
    private record Wire(byte[] datagram, DhcpMessage expected, int overload) {

        static Wire random(Random random) {
            DhcpMessage header = randomMessage(random).toBuilder().options(DhcpOptions.empty()).build();
            int overload = random.nextInt(4);
            int[] room = {Integer.MAX_VALUE, DhcpMessage.FILE_LENGTH - 1, DhcpMessage.SNAME_LENGTH - 1};
            if ((overload & DhcpCodec.OVERLOAD_FILE) == 0) {
                room[1] = -1;
            }
            if ((overload & DhcpCodec.OVERLOAD_SNAME) == 0) {
                room[2] = -1;
            }
            List<List<byte[]>> fields = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            int count = random.nextInt(12);
            boolean[] used = new boolean[256];
            for (int i = 0; i < count; i++) {
                int code = 1 + random.nextInt(254);
                if (code == OptionCode.OVERLOAD || used[code]) {
                    continue;
                }
                used[code] = true;
                byte[] value = bytes(random, random.nextInt(4) == 0 ? random.nextInt(700) : random.nextInt(20));
                int from = 0;
                int field = 0; // pieces of one option never go to a field before the previous piece's
                do {
                    int chunk = value.length == 0 ? 0 : 1 + random.nextInt(Math.min(255, value.length - from));
                    int target = field + random.nextInt(3 - field);
                    while (target > 0 && room[target] < chunk + 2) {
                        target = target == 2 || room[2] < chunk + 2 ? (field == 0 ? 0 : -1) : 2;
                    }
                    if (target < 0) {
                        break; // no room left after the last piece: the option ends here
                    }
                    byte[] instance = new byte[chunk + 2];
                    instance[0] = (byte) code;
                    instance[1] = (byte) chunk;
                    System.arraycopy(value, from, instance, 2, chunk);
                    fields.get(target).add(instance);
                    if (target > 0) {
                        room[target] -= chunk + 2;
                    }
                    field = target;
                    from += chunk;
                } while (from < value.length);
            }
            if (overload != 0) {
                List<byte[]> main = fields.get(0);
                main.add(random.nextInt(main.size() + 1), new byte[] {(byte) OptionCode.OVERLOAD, 1, (byte) overload});
            }

            byte[] optionsField = writeField(random, fields.get(0), 0);
            byte[] raw = new byte[Math.max(DhcpCodec.OPTIONS_OFFSET + optionsField.length, DhcpCodec.OPTIONS_OFFSET + 1)];
            System.arraycopy(DhcpCodec.encode(header, DhcpCodec.MAX_DATAGRAM_LENGTH + DhcpCodec.IP_UDP_OVERHEAD), 0,
                    raw, 0, DhcpCodec.OPTIONS_OFFSET);
            System.arraycopy(optionsField, 0, raw, DhcpCodec.OPTIONS_OFFSET, optionsField.length);
            DhcpMessage.Builder expected = header.toBuilder();
            if ((overload & DhcpCodec.OVERLOAD_FILE) != 0) {
                System.arraycopy(writeField(random, fields.get(1), DhcpMessage.FILE_LENGTH), 0, raw, DhcpCodec.FILE,
                        DhcpMessage.FILE_LENGTH);
                expected.file(new byte[0]);
            }
            if ((overload & DhcpCodec.OVERLOAD_SNAME) != 0) {
                System.arraycopy(writeField(random, fields.get(2), DhcpMessage.SNAME_LENGTH), 0, raw, DhcpCodec.SNAME,
                        DhcpMessage.SNAME_LENGTH);
                expected.sname(new byte[0]);
            }
            DhcpOptions.Builder joined = DhcpOptions.builder();
            for (List<byte[]> field : fields) {
                for (byte[] instance : field) {
                    if ((instance[0] & 0xFF) != OptionCode.OVERLOAD) {
                        joined.append(instance[0] & 0xFF, instance, 2, instance.length - 2);
                    }
                }
            }
            return new Wire(raw, expected.options(joined.build()).build(), overload);
        }

        /** Instances with random PADs between them, then END; zero-filled to {@code size} if given. */
        private static byte[] writeField(Random random, List<byte[]> instances, int size) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] instance : instances) {
                if (size == 0 && random.nextInt(8) == 0) {
                    out.write(OptionCode.PAD);
                }
                out.writeBytes(instance);
            }
            out.write(OptionCode.END);
            byte[] field = out.toByteArray();
            return size == 0 ? field : Arrays.copyOf(field, size);
        }

        @Override
        public String toString() {
            return "overload " + overload + ", expected " + expected;
        }
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

        assertWireShape(message, raw);
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

    /**
     * Reads the encoded bytes the way a strict client does (#30, #31, #32, #33): the options
     * field, and each field option 52 names, is a run of whole instances ending with END; only
     * fields the message left empty are overloaded; option 82 is never in sname or file, and is
     * the last option of an overloaded options field; no instance holds more than 255 octets; the message is
     * padded to 300 octets and no further.
     */
    private static void assertWireShape(DhcpMessage message, byte[] raw) {
        List<DhcpCodecEncodeTest.Instance> main = DhcpCodecEncodeTest.instancesIn(raw, DhcpCodec.OPTIONS_OFFSET, raw.length);
        int end = main.isEmpty() ? DhcpCodec.OPTIONS_OFFSET : last(main).offset() + 2 + last(main).length();
        assertEquals(OptionCode.END, raw[end] & 0xFF, "END right after the last option");
        assertTrue(raw.length == DhcpCodec.MIN_MESSAGE_LENGTH || end == raw.length - 1,
                "padded beyond 300 octets: END at " + end + " of " + raw.length);
        List<DhcpCodecEncodeTest.Instance> all = new ArrayList<>(main);
        int overload = main.stream().filter(i -> i.code() == OptionCode.OVERLOAD).mapToInt(i -> raw[i.offset() + 2])
                .findFirst().orElse(0);
        if ((overload & DhcpCodec.OVERLOAD_FILE) != 0) {
            assertTrue(message.fileIsEmpty(), "#30 file overloaded although the message uses it");
            all.addAll(fieldInstances(raw, DhcpCodec.FILE, DhcpMessage.FILE_LENGTH));
        }
        if ((overload & DhcpCodec.OVERLOAD_SNAME) != 0) {
            assertTrue(message.snameIsEmpty(), "#30 sname overloaded although the message uses it");
            all.addAll(fieldInstances(raw, DhcpCodec.SNAME, DhcpMessage.SNAME_LENGTH));
        }
        for (DhcpCodecEncodeTest.Instance instance : all) {
            assertTrue(instance.length() <= DhcpCodec.MAX_OPTION_INSTANCE_LENGTH, "#31 " + instance);
        }
        if (message.options().contains(OptionCode.RELAY_AGENT_INFORMATION)) {
            List<DhcpCodecEncodeTest.Instance> relay = main.stream()
                    .filter(i -> i.code() == OptionCode.RELAY_AGENT_INFORMATION).toList();
            assertFalse(relay.isEmpty(), "#33 option 82 is not in the options field");
            if (overload != 0) {
                // Without overload the options keep the message's order, where ReplyBuilder puts 82 last.
                assertEquals(last(main), last(relay), "#33 option 82 is not the last option of an overloaded options field");
            }
            assertEquals(relay.size(), all.stream().filter(i -> i.code() == OptionCode.RELAY_AGENT_INFORMATION).count(),
                    "#33 option 82 in an overloaded field");
        }
    }

    private static List<DhcpCodecEncodeTest.Instance> fieldInstances(byte[] raw, int from, int length) {
        List<DhcpCodecEncodeTest.Instance> instances = DhcpCodecEncodeTest.instancesIn(raw, from, from + length);
        assertFalse(instances.stream().anyMatch(i -> i.code() == OptionCode.OVERLOAD), "#30 option 52 inside sname or file");
        return instances;
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
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
                case 3 -> random.nextInt(8) == 0 ? 800 + random.nextInt(2400) : 1 + random.nextInt(16);
                default -> 1 + random.nextInt(16);
            };
            options.put(code, bytes(random, length));
        }
        if (random.nextInt(4) == 0) {
            // A relay's option 82 somewhere in the list: the encoder must write it last (#33).
            options.put(OptionCode.RELAY_AGENT_INFORMATION, bytes(random, 1 + random.nextInt(40)));
        }
        return message.options(options.build()).build();
    }

    private static byte[] bytes(Random random, int length) {
        byte[] value = new byte[length];
        random.nextBytes(value);
        return value;
    }
}
