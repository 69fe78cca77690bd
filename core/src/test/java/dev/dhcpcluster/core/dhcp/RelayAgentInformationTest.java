package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RelayAgentInformationTest {

    @Test
    @DisplayName("#33 the sub-options of option 82 are read by code")
    void readsSubOptions() {
        RelayAgentInformation info = RelayAgentInformation.parse(new byte[] {1, 2, 'a', 'b', 2, 1, 9, 5, 4, (byte) 198, 18, 1, 0});

        assertArrayEquals(new byte[] {'a', 'b'}, info.subOption(1).orElseThrow());
        assertArrayEquals(new byte[] {9}, info.subOption(2).orElseThrow());
        assertEquals(Optional.of(Ipv4Address.parse("198.18.1.0")), info.linkSelection());
        assertTrue(info.subOption(3).isEmpty());
    }

    @Test
    void aSubOptionSeenTwiceKeepsItsFirstValue() {
        RelayAgentInformation info = RelayAgentInformation.parse(new byte[] {1, 1, 'a', 1, 1, 'b'});

        assertArrayEquals(new byte[] {'a'}, info.subOption(1).orElseThrow());
    }

    @Test
    @DisplayName("malformed sub-option encoding means no sub-options at all, never an exception")
    void malformedEncodingMeansNoSubOptions() {
        byte[][] malformed = {
            {1},                    // a code without a length
            {1, 3, 'a', 'b'},       // a value running past the end
            {1, 1, 'a', 2},         // a well-formed sub-option, then a truncated one
            {1, (byte) 255, 'a'},   // a length far past the end
        };
        for (byte[] option : malformed) {
            RelayAgentInformation info = RelayAgentInformation.parse(option);
            assertTrue(info.subOption(1).isEmpty() && info.subOption(2).isEmpty(), () -> java.util.Arrays.toString(option));
        }
        assertTrue(RelayAgentInformation.parse(new byte[0]).subOption(1).isEmpty());
    }

    @Test
    void linkSelectionOfTheWrongLengthIsIgnored() {
        assertTrue(RelayAgentInformation.parse(new byte[] {5, 3, (byte) 198, 18, 1}).linkSelection().isEmpty());
    }

    @Test
    @DisplayName("option 82 of a request that was not relayed is not read")
    void directRequestsHaveNone() {
        DhcpMessage direct = TestPackets.discover().withRelayAgentSubOption(1, new byte[] {'a'}).build();
        DhcpMessage relayed = TestPackets.discover().withGiaddr("198.18.0.254").withRelayAgentSubOption(1, new byte[] {'a'})
                .build();

        assertTrue(RelayAgentInformation.of(direct).subOption(1).isEmpty());
        assertArrayEquals(new byte[] {'a'}, RelayAgentInformation.of(relayed).subOption(1).orElseThrow());
    }
}
