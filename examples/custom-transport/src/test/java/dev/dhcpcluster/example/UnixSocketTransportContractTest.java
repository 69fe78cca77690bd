package dev.dhcpcluster.example;

import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.testkit.contract.DhcpTransportContract;
import java.nio.file.Files;

/** The example's transport keeps the DhcpTransport contract, with no UDP socket anywhere. */
class UnixSocketTransportContractTest extends DhcpTransportContract<SocketController> {

    @Override
    protected SocketController newWire() throws Exception {
        // Short: a Unix socket's path is limited to about a hundred bytes.
        return new SocketController(Files.createTempDirectory("uxt").resolve("dhcp.sock"));
    }

    @Override
    protected DhcpTransport newTransport(SocketController wire) {
        return new UnixSocketTransport(wire.path());
    }
}
