package dev.dhcpcluster.port.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClientKeyTest {

    private static final HardwareAddress MAC = HardwareAddress.parseEthernet("02:00:00:00:00:01");

    @Test
    @DisplayName("#27 a hardware key is htype followed by chaddr")
    void hardwareKeyIsTypeThenAddress() {
        ClientKey key = ClientKey.ofHardware(MAC);
        assertEquals(ClientKey.Kind.HARDWARE, key.kind());
        assertEquals("hw:01:02:00:00:00:00:01", key.toString());
    }

    @Test
    @DisplayName("#27 client identifiers are opaque bytes and never equal a hardware key with the same octets")
    void clientIdNeverEqualsHardwareKey() {
        ClientKey fromId = ClientKey.ofClientId(new byte[] {1, 2, 0, 0, 0, 0, 1});
        assertNotEquals(ClientKey.ofHardware(MAC), fromId);
        assertEquals(ClientKey.ofClientId(new byte[] {1, 2, 0, 0, 0, 0, 1}), fromId);
        assertEquals(fromId.hashCode(), ClientKey.ofClientId(new byte[] {1, 2, 0, 0, 0, 0, 1}).hashCode());
    }

    @Test
    @DisplayName("a million consecutive hardware addresses hash to nearly a million values, so maps of clients stay flat")
    void consecutiveHardwareAddressesSpread() {
        Set<Integer> hashes = new HashSet<>();
        for (int i = 0; i < 1_000_000; i++) {
            byte[] mac = {0, 0x0c, 1, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
            hashes.add(ClientKey.ofHardware(HardwareAddress.ethernet(mac)).hashCode());
        }
        // 32 random bits would collide about 116 times in a million; the octets' polynomial alone
        // gave about 22,000 values here.
        assertTrue(hashes.size() > 999_000, hashes.size() + " distinct hashes");
    }

    @Test
    void emptyClientIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClientKey.ofClientId(new byte[0]));
    }
}
