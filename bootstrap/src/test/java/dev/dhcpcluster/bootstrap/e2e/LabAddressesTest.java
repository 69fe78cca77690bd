package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabAddressesTest {

    @Test
    void addressesInsideTheBenchmarkingBlockAreAccepted() {
        assertEquals("198.18.0.1", LabAddresses.requireAddress("198.18.0.1"));
        assertEquals("198.19.255.254", LabAddresses.requireAddress("198.19.255.254"));
        assertEquals("198.18.8.0/21", LabAddresses.requireCidr("198.18.8.0/21"));
    }

    @Test
    void addressesOutsideTheBenchmarkingBlockAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LabAddresses.requireAddress("198.17.255.255"));
        assertThrows(IllegalArgumentException.class, () -> LabAddresses.requireAddress("198.20.0.0"));
        assertThrows(IllegalArgumentException.class, () -> LabAddresses.requireAddress("10.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> LabAddresses.requireAddress("198.18.0.256"));
        assertThrows(IllegalArgumentException.class, () -> LabAddresses.requireCidr("198.18.0.0/8"));
        assertThrows(IllegalArgumentException.class, () -> LabAddresses.requireCidr("198.18.0.1"));
    }

    @Test
    void rangeAndSubnetMembershipCompareNumerically() {
        assertTrue(LabAddresses.inRange("198.18.0.150", "198.18.0.100", "198.18.0.199"));
        assertFalse(LabAddresses.inRange("198.18.0.99", "198.18.0.100", "198.18.0.199"));
        assertTrue(LabAddresses.inSubnet("198.18.1.7", "198.18.1.0/24"));
        assertFalse(LabAddresses.inSubnet("198.18.2.7", "198.18.1.0/24"));
        assertTrue(LabAddresses.inSubnet("198.18.15.250", "198.18.8.0/21"));
    }
}
