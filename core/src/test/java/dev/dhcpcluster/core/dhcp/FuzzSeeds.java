package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The seed corpus of the DHCP fuzz tests: every golden packet captured from a real client (the
 * {@code .bin} files beside this package's {@code golden/} test resources), as it is and reshaped
 * into the other states a client or relay can be in: relayed with option 82, renewing,
 * rebinding, rebooting, declining, releasing, informing, asking for a large reply, and carrying
 * options long enough to be split (RFC 3396) and overloaded into {@code sname} and {@code file}.
 *
 * <p>The reshaped seeds start from the decoded golden packets, so they keep the real clients'
 * option sets, and they use the addresses of {@link FuzzNetwork}, so that the policy fuzz test
 * starts from requests that reach every branch of the policy rather than from requests for
 * networks it does not serve. Jazzer's mutations go on from there.
 *
 * <p>A fuzz test takes them with {@code @MethodSource("dev.dhcpcluster.core.dhcp.FuzzSeeds#datagrams")}:
 * in regression mode each is one test invocation; in fuzzing mode Jazzer adds them to its corpus.
 */
final class FuzzSeeds {

    private static final String GOLDEN = "golden";

    private FuzzSeeds() {
    }

    /** Every seed, each named for what it is. */
    static Stream<Arguments> datagrams() {
        List<Arguments> seeds = new ArrayList<>();
        for (Path file : goldenFiles()) {
            byte[] raw = read(file);
            String name = file.getFileName().toString().replace(".bin", "");
            seeds.add(seed("golden " + name, raw));
            DhcpMessage golden = decode(raw, name);
            for (Reshaping reshaping : Reshaping.values()) {
                seeds.add(seed(reshaping.describe(name), DhcpCodec.encode(reshaping.apply(golden),
                        DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH)));
            }
        }
        return seeds.stream();
    }

    /** One way to turn a golden packet into a request of another kind. */
    private enum Reshaping {
        RELAYED("relayed by the branch relay with option 82") {
            @Override
            DhcpMessage.Builder reshape(DhcpMessage golden, DhcpOptions.Builder options) {
                options.put(OptionCode.RELAY_AGENT_INFORMATION, FuzzNetwork.RELAY_AGENT_INFORMATION);
                return golden.toBuilder().giaddr(FuzzNetwork.BRANCH_RELAY).hops(1);
            }
        },
        RENEWING("renewing its lab address by unicast") {
            @Override
            DhcpMessage.Builder reshape(DhcpMessage golden, DhcpOptions.Builder options) {
                options.messageType(DhcpMessageType.REQUEST).remove(OptionCode.REQUESTED_ADDRESS)
                        .remove(OptionCode.SERVER_IDENTIFIER);
                return golden.toBuilder().ciaddr(labAddress(10));
            }
        },
        REBINDING_THROUGH_RELAY("rebinding a branch address through the kiosk relay, which is the wrong network") {
            @Override
            DhcpMessage.Builder reshape(DhcpMessage golden, DhcpOptions.Builder options) {
                options.messageType(DhcpMessageType.REQUEST).remove(OptionCode.REQUESTED_ADDRESS)
                        .remove(OptionCode.SERVER_IDENTIFIER);
                return golden.toBuilder().ciaddr(Ipv4Address.parse("198.18.10.10"))
                        .giaddr(FuzzNetwork.KIOSK_RELAY).hops(2).flags(DhcpMessage.FLAG_BROADCAST);
            }
        },
        INIT_REBOOT("rebooting with an address on another network") {
            @Override
            DhcpMessage.Builder reshape(DhcpMessage golden, DhcpOptions.Builder options) {
                options.messageType(DhcpMessageType.REQUEST).remove(OptionCode.SERVER_IDENTIFIER)
                        .address(OptionCode.REQUESTED_ADDRESS, Ipv4Address.parse("198.18.99.7"));
                return golden.toBuilder();
            }
        },
        DECLINE("declining its lab address") {
            @Override
            DhcpMessage.Builder reshape(DhcpMessage golden, DhcpOptions.Builder options) {
                options.messageType(DhcpMessageType.DECLINE).address(OptionCode.REQUESTED_ADDRESS, labAddress(10))
                        .address(OptionCode.SERVER_IDENTIFIER, FuzzNetwork.LAB_SERVER);
                return golden.toBuilder();
            }
        },
        RELEASE("releasing its lab address") {
            @Override
            DhcpMessage.Builder reshape(DhcpMessage golden, DhcpOptions.Builder options) {
                options.messageType(DhcpMessageType.RELEASE).remove(OptionCode.REQUESTED_ADDRESS)
                        .address(OptionCode.SERVER_IDENTIFIER, FuzzNetwork.LAB_SERVER);
                return golden.toBuilder().ciaddr(labAddress(10));
            }
        },
        INFORM("informing from a lab address") {
            @Override
            DhcpMessage.Builder reshape(DhcpMessage golden, DhcpOptions.Builder options) {
                options.messageType(DhcpMessageType.INFORM).remove(OptionCode.REQUESTED_ADDRESS)
                        .remove(OptionCode.SERVER_IDENTIFIER);
                return golden.toBuilder().ciaddr(labAddress(77));
            }
        },
        LARGE_REPLY("asking for a 1500-octet reply with every option") {
            @Override
            DhcpMessage.Builder reshape(DhcpMessage golden, DhcpOptions.Builder options) {
                options.uint16(OptionCode.MAX_MESSAGE_SIZE, 1500)
                        .put(OptionCode.PARAMETER_REQUEST_LIST, new byte[] {1, 3, 6, 15, 28, 42, 43, 119, 121, 12, 26});
                return golden.toBuilder();
            }
        },
        OVERLOADED("with a long client identifier and vendor class, split and overloaded into sname and file") {
            @Override
            DhcpMessage.Builder reshape(DhcpMessage golden, DhcpOptions.Builder options) {
                byte[] clientId = new byte[270]; // type 0: an opaque identifier
                for (int i = 1; i < clientId.length; i++) {
                    clientId[i] = (byte) ('a' + i % 26);
                }
                options.put(OptionCode.CLIENT_IDENTIFIER, clientId)
                        .string(OptionCode.VENDOR_CLASS_IDENTIFIER, "x".repeat(60));
                return golden.toBuilder();
            }
        };

        private final String description;

        Reshaping(String description) {
            this.description = description;
        }

        String describe(String goldenName) {
            return goldenName + " " + description;
        }

        DhcpMessage apply(DhcpMessage golden) {
            DhcpOptions.Builder options = golden.options().toBuilder();
            DhcpMessage.Builder message = reshape(golden, options);
            return message.options(options.build()).build();
        }

        /** Changes {@code options} in place and returns the reshaped header. */
        abstract DhcpMessage.Builder reshape(DhcpMessage golden, DhcpOptions.Builder options);

        private static Ipv4Address labAddress(int host) {
            return Ipv4Address.of(FuzzNetwork.LAB_SERVER.value() - 1 + host);
        }
    }

    private static List<Path> goldenFiles() {
        URL directory = FuzzSeeds.class.getResource(GOLDEN);
        if (directory == null || !"file".equals(directory.getProtocol())) {
            throw new IllegalStateException("the golden packets must be a directory on the test class path, not "
                    + directory);
        }
        try (Stream<Path> files = Files.list(Path.of(directory.toURI()))) {
            List<Path> golden = files.filter(file -> file.toString().endsWith(".bin")).sorted().toList();
            if (golden.isEmpty()) {
                throw new IllegalStateException("no golden .bin packet in " + directory);
            }
            return golden;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DhcpMessage decode(byte[] raw, String name) {
        try {
            return DhcpCodec.decode(raw);
        } catch (MalformedPacketException e) {
            throw new IllegalStateException("golden packet " + name + " does not decode", e);
        }
    }

    private static Arguments seed(String name, byte[] datagram) {
        return arguments(named(name, datagram));
    }
}
