package dev.dhcpcluster.port.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PackedClientKeyTest {

    private static HardwareAddress mac(long n) {
        return HardwareAddress.ethernet(new byte[] {2, 0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    }

    @Test
    @DisplayName("keys of up to seven octets pack into a long and back, kind and octets kept; longer keys do not pack")
    void packedKeysRoundTrip() {
        List<ClientKey> keys = List.of(ClientKey.ofHardware(mac(1)), ClientKey.ofHardware(mac(0xFFFF_FFFFL)),
                ClientKey.ofClientId(new byte[] {1, 2, 0, 0, 0, 0, 1}), ClientKey.ofClientId(new byte[] {(byte) 0xFF}),
                ClientKey.ofHardware(HardwareAddress.of(0, new byte[0])),
                ClientKey.ofHardware(HardwareAddress.of(255, new byte[] {(byte) 0x80, 2, 3})));
        for (ClientKey key : keys) {
            long packed = PackedClientKey.pack(key);
            assertNotEquals(PackedClientKey.NONE, packed, key.toString());
            assertEquals(key, PackedClientKey.unpack(packed));
        }
        assertNotEquals(PackedClientKey.pack(ClientKey.ofHardware(mac(1))),
                PackedClientKey.pack(ClientKey.ofClientId(new byte[] {1, 2, 0, 0, 0, 0, 1})),
                "a client identifier never packs as the hardware key of the same octets");
        assertEquals(PackedClientKey.NONE, PackedClientKey.pack(ClientKey.ofClientId(new byte[8])));
    }

    @Test
    @DisplayName("a hardware key, and a client identifier of type and MAC, carry their hardware address; another address or type is not carried")
    void keysThatCarryTheirHardwareAddress() {
        long hardware = PackedClientKey.pack(ClientKey.ofHardware(mac(7)));
        assertTrue(PackedClientKey.carriesHardware(hardware, mac(7)));
        assertFalse(PackedClientKey.carriesHardware(hardware, mac(8)));
        assertEquals(mac(7), PackedClientKey.hardwareOf(hardware));

        long identifier = PackedClientKey.pack(ClientKey.ofClientId(new byte[] {1, 2, 0, 0, 0, 0, 7}));
        assertTrue(PackedClientKey.carriesHardware(identifier, mac(7)));
        assertFalse(PackedClientKey.carriesHardware(identifier, mac(8)));
        assertFalse(PackedClientKey.carriesHardware(identifier, HardwareAddress.of(6, mac(7).octets())));
        assertEquals(mac(7), PackedClientKey.hardwareOf(identifier));
    }
}
