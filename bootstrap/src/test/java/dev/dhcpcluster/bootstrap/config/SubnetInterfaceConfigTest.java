package dev.dhcpcluster.bootstrap.config;

import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.dhcp4;
import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.load;
import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.onlyError;
import static dev.dhcpcluster.bootstrap.config.NodeFileFixture.subnet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.SubnetConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A subnet's {@code interface} and {@code authoritative}, and the global {@code authoritative} it inherits. */
class SubnetInterfaceConfigTest {

    @Test
    void aSubnetNamesTheInterfaceWhoseClientsItServes() throws Exception {
        List<SubnetConfig> subnets = load(file -> { }).server().subnets();

        assertEquals(Optional.empty(), subnets.get(0).interfaceName());
        assertEquals(Optional.of("eth1"), subnets.get(1).interfaceName());
    }

    @Test
    void aSubnetWithoutItsOwnAuthoritativeInheritsTheGlobalOne() throws Exception {
        assertFalse(load(file -> { }).server().subnets().get(0).authoritative());
        assertTrue(load(file -> dhcp4(file).put("authoritative", true)).server().subnets().get(0).authoritative());
    }

    @Test
    void withoutAnyAuthoritativeTheServerIsNotAuthoritativeAsKea() throws Exception {
        List<SubnetConfig> subnets = load(file -> {
            dhcp4(file).remove("authoritative");
            subnet(file, 1).remove("authoritative");
        }).server().subnets();

        assertFalse(subnets.get(0).authoritative());
        assertFalse(subnets.get(1).authoritative());
    }

    @Test
    void aSubnetsOwnAuthoritativeWinsOverTheGlobalOne() throws Exception {
        List<SubnetConfig> subnets = load(file -> {
            dhcp4(file).put("authoritative", true);
            subnet(file, 1).put("authoritative", false);
        }).server().subnets();

        assertTrue(subnets.get(0).authoritative());
        assertFalse(subnets.get(1).authoritative());
        assertTrue(load(file -> { }).server().subnets().get(1).authoritative(), "true in the subnet, false globally");
    }

    @Test
    void authoritativeWrittenAsTextIsAnError() {
        assertEquals("Dhcp4.subnet4[1].authoritative: expected true or false, found a string",
                onlyError(file -> subnet(file, 1).put("authoritative", "yes")).toString());
        assertEquals("Dhcp4.authoritative", onlyError(file -> dhcp4(file).put("authoritative", 1)).path());
    }

    @Test
    void aBlankInterfaceNameIsRefused() {
        assertEquals("Dhcp4.subnet4[1].interface: \" \" is not an interface name",
                onlyError(file -> subnet(file, 1).put("interface", " ")).toString());
        assertEquals("Dhcp4.subnet4[1].interface: \"eth1 \" is not an interface name",
                onlyError(file -> subnet(file, 1).put("interface", "eth1 ")).toString());
    }

    @Test
    void oneInterfaceNamedByTwoSubnetsIsRefusedNamingBoth() {
        assertEquals("Dhcp4.subnet4[1].interface: interface \"eth1\" is already served by Dhcp4.subnet4[0].interface; "
                + "an interface serves one subnet (shared networks are not supported)",
                onlyError(file -> subnet(file, 0).put("interface", "eth1")).toString());
    }

    @Test
    void twoSubnetsOnTwoInterfacesAreFine() throws Exception {
        List<SubnetConfig> subnets = load(file -> subnet(file, 0).put("interface", "eth0")).server().subnets();

        assertEquals(Optional.of("eth0"), subnets.get(0).interfaceName());
        assertEquals(Optional.of("eth1"), subnets.get(1).interfaceName());
    }
}
