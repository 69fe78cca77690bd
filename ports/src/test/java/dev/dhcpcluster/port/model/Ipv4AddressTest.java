package dev.dhcpcluster.port.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4AddressTest {

    @Test
    void parsesDottedQuadIntoNetworkOrder() {
        Ipv4Address address = Ipv4Address.parse("198.18.1.254");
        assertEquals(0xC61201FE, address.value());
        assertEquals("198.18.1.254", address.toString());
    }

    @Test
    void bytesRoundTripInNetworkOrder() {
        byte[] octets = {(byte) 198, 19, 0, (byte) 255};
        Ipv4Address address = Ipv4Address.fromBytes(octets);
        assertArrayEquals(octets, address.toBytes());
        byte[] target = new byte[6];
        address.writeTo(target, 1);
        assertEquals(Ipv4Address.fromBytes(target, 1), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "198.18.0", "198.18.0.1.2", "198.18.0.256", "198.18..1", " 198.18.0.1", "198.18.0.+1",
        "198.18.0.0001", "a.b.c.d"})
    void refusesTextThatIsNotAnAddressAndQuotesIt(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(text));
        assertTrue(error.getMessage().contains("\"" + text + "\""), error.getMessage());
    }

    @Test
    void ordersUnsignedSoHighAddressesSortLast() {
        assertTrue(Ipv4Address.parse("198.18.0.1").compareTo(Ipv4Address.BROADCAST) < 0);
        assertTrue(Ipv4Address.parse("127.255.255.255").compareTo(Ipv4Address.parse("128.0.0.0")) < 0);
        assertEquals(Ipv4Address.parse("198.18.1.0"), Ipv4Address.parse("198.18.0.255").plus(1));
    }

    @Test
    void refusesTooFewOctets() {
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.fromBytes(new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.fromBytes(new byte[5], 2));
    }
}
