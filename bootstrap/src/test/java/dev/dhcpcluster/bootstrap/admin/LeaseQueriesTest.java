package dev.dhcpcluster.bootstrap.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dhcpcluster.core.lease.LeaseQuery;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LeaseQueriesTest {

    @Test
    @DisplayName("no parameters: the first page of every lease, 100 at most")
    void defaults() throws Exception {
        assertEquals(LeaseQuery.all(LeaseQueries.DEFAULT_LIMIT), LeaseQueries.parse(null));
        assertEquals(LeaseQuery.all(LeaseQueries.DEFAULT_LIMIT), LeaseQueries.parse(""));
    }

    @Test
    @DisplayName("every parameter, percent-decoded")
    void everyParameter() throws Exception {
        LeaseQuery query = LeaseQueries.parse("address=198.18.1.2&mac=02%3A00%3A00%3A00%3A00%3A01&client-id=id:01:02"
                + "&hostname=my%20host&subnet=198.18.0.0%2F16&limit=5&after=198.18.0.9");

        assertEquals(Optional.of(Ipv4Address.parse("198.18.1.2")), query.address());
        assertEquals(Optional.of(HardwareAddress.parseEthernet("02:00:00:00:00:01")), query.hardwareAddress());
        assertEquals(Optional.of(ClientKey.ofClientId(new byte[] {1, 2})), query.clientKey());
        assertEquals(Optional.of("my host"), query.hostname());
        assertEquals(Ipv4Address.parse("198.18.0.0"), query.first());
        assertEquals(Ipv4Address.parse("198.18.255.255"), query.last());
        assertEquals(5, query.limit());
        assertEquals(Optional.of(Ipv4Address.parse("198.18.0.9")), query.after());
    }

    @Test
    @DisplayName("a client id is read as the client column prints it, or as bare hex")
    void clientIds() throws Exception {
        HardwareAddress mac = HardwareAddress.parseEthernet("02:00:00:00:00:01");
        assertEquals(Optional.of(ClientKey.ofHardware(mac)),
                LeaseQueries.parse("client-id=hw:01:02:00:00:00:00:01").clientKey());
        assertEquals(Optional.of(ClientKey.ofClientId(new byte[] {(byte) 0xab})),
                LeaseQueries.parse("client-id=ab").clientKey());
    }

    @Test
    @DisplayName("a bad parameter is refused, naming it")
    void refused() {
        assertEquals("limit", assertThrows(BadRequest.class, () -> LeaseQueries.parse("limit=1001")).parameter());
        assertEquals("limit: 0 is not 1-1000",
                assertThrows(BadRequest.class, () -> LeaseQueries.parse("limit=0")).getMessage());
        assertEquals("hostname", assertThrows(BadRequest.class, () -> LeaseQueries.parse("hostname=")).parameter());
        assertEquals("sort", assertThrows(BadRequest.class, () -> LeaseQueries.parse("sort=address")).parameter());
        assertEquals("after", assertThrows(BadRequest.class, () -> LeaseQueries.parse("after=1.2.3")).parameter());
    }
}
