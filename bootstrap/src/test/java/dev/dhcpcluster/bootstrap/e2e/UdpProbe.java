package dev.dhcpcluster.bootstrap.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A tiny UDP echo program the harness self-test runs inside namespaces, proving that hosts on the
 * lab's bridge reach each other and that a JVM started with the test classpath runs there.
 *
 * <pre>
 * UdpProbe serve ADDRESS PORT         answer one datagram with "echo:" + its text, then exit
 * UdpProbe ask ADDRESS PORT TEXT      send TEXT, print the reply; exit 1 after 5 s without one
 * </pre>
 */
public final class UdpProbe {

    private static final int TIMEOUT_MILLIS = 5_000;

    private UdpProbe() {
    }

    /** Runs the probe; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("serve")) {
            serve(new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2])));
        } else if (args.length == 4 && args[0].equals("ask")) {
            ask(new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2])), args[3]);
        } else {
            System.err.println("usage: UdpProbe serve ADDRESS PORT | ask ADDRESS PORT TEXT");
            System.exit(2);
        }
    }

    private static void serve(InetSocketAddress local) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(local)) {
            socket.setSoTimeout(60_000);
            System.out.println("listening on " + local);
            System.out.flush();
            DatagramPacket request = new DatagramPacket(new byte[1500], 1500);
            socket.receive(request);
            String text = new String(request.getData(), 0, request.getLength(), StandardCharsets.UTF_8);
            byte[] reply = ("echo:" + text).getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
            System.out.println("answered " + request.getSocketAddress());
        }
    }

    private static void ask(InetSocketAddress server, String text) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            byte[] request = text.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(request, request.length, server));
            DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
            socket.receive(reply);
            System.out.println("reply: " + new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
        } catch (SocketTimeoutException e) {
            System.out.println("no reply from " + server);
            System.exit(1);
        }
    }
}
