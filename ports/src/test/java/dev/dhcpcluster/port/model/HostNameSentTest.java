package dev.dhcpcluster.port.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostNameSentTest {

    @Test
    void octetsAreCopiedInAndOut() {
        byte[] octets = {'p', 'c'};
        HostNameSent sent = HostNameSent.of(octets);
        octets[0] = 'x';
        sent.octets()[1] = 'x';

        assertArrayEquals(new byte[] {'p', 'c'}, sent.octets());
    }

    @Test
    void equalOctetsAreEqualNames() {
        assertEquals(HostNameSent.of(new byte[] {1, 2}), HostNameSent.of(new byte[] {1, 2}));
        assertEquals(HostNameSent.of(new byte[] {1, 2}).hashCode(), HostNameSent.of(new byte[] {1, 2}).hashCode());
        assertNotEquals(HostNameSent.of(new byte[] {1, 2}), HostNameSent.of(new byte[] {1, 2, 0}));
    }

    @Test
    void printsAsHexSoThatNoOctetReachesALogAsItIs() {
        assertEquals("780a1b00ff", HostNameSent.of(new byte[] {'x', '\n', 0x1b, 0, (byte) 0xff}).toString());
        assertEquals("", HostNameSent.of(new byte[0]).toString());
    }

    @Test
    void utf8TextOnlyWhenTheOctetsAreUtf8() {
        assertEquals(Optional.of("café\n"), HostNameSent.of(new byte[] {'c', 'a', 'f', (byte) 0xc3, (byte) 0xa9, '\n'}).utf8());
        assertEquals(Optional.empty(), HostNameSent.of(new byte[] {'c', 'a', 'f', (byte) 0xe9}).utf8(),
                "a Latin-1 é is not UTF-8, and is not replaced");
        assertEquals(Optional.empty(), HostNameSent.of(new byte[] {(byte) 0xc3}).utf8(), "a truncated sequence");
    }

    @Test
    void latin1TextIsOneOctetPerCharacter() {
        assertArrayEquals(new byte[] {'a', 0, (byte) 0xe9, (byte) 0xff}, HostNameSent.ofLatin1("a\u0000é\u00ff").octets());
        assertThrows(IllegalArgumentException.class, () -> HostNameSent.ofLatin1("\u0100"));
    }
}
