package dev.dhcpcluster.bootstrap.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;

/**
 * A tiny program that sends datagrams of given octets, for tests that feed a program in the lab
 * what no well-behaved client sends (random bytes, a truncated message, a forged reply): from a
 * chosen address and port, to an address (broadcast allowed) and port, each payload once, a
 * hundred milliseconds apart, so that the receiver sees them in order.
 *
 * <pre>
 * DatagramSender FROM_ADDRESS FROM_PORT TO_ADDRESS TO_PORT HEX [HEX...]
 * </pre>
 *
 * It prints {@code sent N datagrams} and exits 0, or exits 1 with the error.
 */
public final class DatagramSender {

    private static final long PAUSE_MILLIS = 100;

    private DatagramSender() {
    }

    /** Sends the datagrams; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 5) {
            System.err.println("usage: DatagramSender FROM_ADDRESS FROM_PORT TO_ADDRESS TO_PORT HEX [HEX...]");
            System.exit(2);
        }
        InetSocketAddress from = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(args[2]), Integer.parseInt(args[3]));
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReuseAddress(true);
            socket.setBroadcast(true);
            socket.bind(from);
            for (int i = 4; i < args.length; i++) {
                byte[] payload = HexFormat.of().parseHex(args[i]);
                socket.send(new DatagramPacket(payload, payload.length, to));
                Thread.sleep(PAUSE_MILLIS);
            }
        }
        System.out.println("sent " + (args.length - 4) + " datagrams");
    }
}
