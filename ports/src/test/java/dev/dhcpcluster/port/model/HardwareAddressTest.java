package dev.dhcpcluster.port.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HardwareAddressTest {

    @Test
    void parsesEthernetWithColonsOrDashes() {
        HardwareAddress colons = HardwareAddress.parseEthernet("02:00:5E:10:00:01");
        HardwareAddress dashes = HardwareAddress.parseEthernet("02-00-5e-10-00-01");
        assertEquals(colons, dashes);
        assertEquals("02:00:5e:10:00:01", colons.toString());
        assertEquals(HardwareAddress.ETHERNET, colons.type());
        assertEquals(6, colons.length());
    }

    @Test
    void cannotBeChangedThroughArraysPassedInOrOut() {
        byte[] octets = {2, 0, 0, 0, 0, 1};
        HardwareAddress address = HardwareAddress.ethernet(octets);
        octets[5] = 9;
        address.octets()[5] = 9;
        assertEquals(1, address.octet(5));
    }

    @Test
    void typeIsPartOfTheIdentity() {
        byte[] octets = {2, 0, 0, 0, 0, 1};
        assertNotEquals(HardwareAddress.of(1, octets), HardwareAddress.of(6, octets));
    }

    @Test
    void refusesMalformedText() {
        assertThrows(IllegalArgumentException.class, () -> HardwareAddress.parseEthernet("02:00:00:00:00"));
        assertThrows(IllegalArgumentException.class, () -> HardwareAddress.parseEthernet("02:00:00:00:00:0g"));
        assertThrows(IllegalArgumentException.class, () -> HardwareAddress.parseEthernet("2:00:00:00:00:01"));
    }

    @Test
    void holdsAtMostTheSixteenOctetsOfChaddr() {
        HardwareAddress.of(1, new byte[16]);
        assertThrows(IllegalArgumentException.class, () -> HardwareAddress.of(1, new byte[17]));
    }
}
