package dev.dhcpcluster.testkit.client;

import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A minimal server for client tests: hands out consecutive addresses and answers as told. */
final class FakeServer {

    static final Ipv4Address SERVER_ID = Ipv4Address.parse("198.18.0.2");

    final Map<HardwareAddress, Ipv4Address> bindings = new HashMap<>();
    final List<DhcpMessage> received = new ArrayList<>();
    Ipv4Address next = Ipv4Address.parse("198.18.1.1");
    /** Every client gets this address when set: a broken server. */
    Optional<Ipv4Address> sameForEveryone = Optional.empty();
    boolean nakRequests;

    /** The replies to {@code request}, as a correct (or deliberately broken) server sends them. */
    List<DhcpMessage> answer(DhcpMessage request) {
        received.add(request);
        DhcpMessageType type = request.messageType().orElseThrow();
        HardwareAddress client = request.hardwareAddress();
        return switch (type) {
            case DISCOVER -> List.of(reply(request, DhcpMessageType.OFFER, addressFor(client)));
            case REQUEST -> {
                if (nakRequests) {
                    yield List.of(reply(request, DhcpMessageType.NAK, Ipv4Address.ZERO));
                }
                Ipv4Address asked = request.options().address(OptionCode.REQUESTED_ADDRESS).orElse(request.ciaddr());
                yield List.of(reply(request, DhcpMessageType.ACK, asked));
            }
            default -> List.of();
        };
    }

    private Ipv4Address addressFor(HardwareAddress client) {
        if (sameForEveryone.isPresent()) {
            return sameForEveryone.get();
        }
        return bindings.computeIfAbsent(client, c -> {
            Ipv4Address address = next;
            next = next.plus(1);
            return address;
        });
    }

    static DhcpMessage reply(DhcpMessage request, DhcpMessageType type, Ipv4Address yiaddr) {
        DhcpOptions.Builder options = DhcpOptions.builder().messageType(type)
                .address(OptionCode.SERVER_IDENTIFIER, SERVER_ID);
        if (type != DhcpMessageType.NAK) {
            options.uint32(OptionCode.LEASE_TIME, 600);
        }
        return DhcpMessage.builder().op(DhcpMessage.BOOTREPLY).xid(request.xid()).giaddr(request.giaddr())
                .hardwareAddress(request.hardwareAddress()).yiaddr(yiaddr).options(options.build()).build();
    }
}
