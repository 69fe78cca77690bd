package dev.dhcpcluster.bootstrap.architecture.violations;

import java.io.IOException;
import java.net.DatagramSocket;

/** Opens a socket itself. */
public final class UsesSocket {

    DatagramSocket open() throws IOException {
        return new DatagramSocket();
    }
}
