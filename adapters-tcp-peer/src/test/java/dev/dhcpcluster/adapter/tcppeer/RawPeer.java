package dev.dhcpcluster.adapter.tcppeer;

import dev.dhcpcluster.port.model.NodeId;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;

/**
 * A hand-driven peer for tests: a plain socket that speaks the frame format step by step, so that
 * a test can send exactly what a misbehaving or misconfigured node would.
 */
final class RawPeer implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawPeer connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 5_000);
        return new RawPeer(socket);
    }

    void write(Frame frame) throws IOException {
        writeRaw(FrameCodec.encode(frame));
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame the node sends; the node is trusted here to send sane lengths. */
    Frame read() throws IOException, MalformedFrameException {
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        return FrameCodec.decode(body);
    }

    /** Reads the next frame, expecting {@code kind}. */
    <F extends Frame> F read(Class<F> kind) throws IOException, MalformedFrameException {
        Frame frame = read();
        if (!kind.isInstance(frame)) {
            throw new AssertionError("expected a " + kind.getSimpleName() + ", got " + frame);
        }
        return kind.cast(frame);
    }

    /** Sends a hello as {@code as} in {@code cluster}; returns the node's hello. */
    Frames.Hello hello(NodeId as, String cluster, byte[] nonce) throws IOException, MalformedFrameException {
        write(new Frames.Hello(Handshake.PROTOCOL_VERSION, cluster, as, nonce));
        return read(Frames.Hello.class);
    }

    /**
     * Runs the whole handshake as {@code as}, the dialing side, with {@code secret}; returns once
     * the connection is established (or refused: the refusal is then the next frame to read).
     */
    void authenticate(NodeId as, byte[] secret) throws IOException, MalformedFrameException {
        byte[] nonce = nonce();
        Frames.Hello theirs = hello(as, LoopbackCluster.NAME, nonce);
        write(new Frames.Proof(Handshake.proof(secret, LoopbackCluster.NAME, as, nonce, theirs.node(), theirs.nonce(), true)));
        read(Frames.Proof.class);
        if (as.compareTo(theirs.node()) > 0) {
            write(new Frames.Accept());
        }
    }

    static byte[] nonce() {
        byte[] nonce = new byte[Handshake.NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /**
     * Whether the node closes this connection within the read timeout: reads and discards
     * everything until the end of the stream. False if the node keeps it open that long.
     */
    boolean closedByNode() throws IOException {
        byte[] sink = new byte[4096];
        try {
            while (in.read(sink) >= 0) {
                // What the node sent before closing (its hello, a refusal) does not matter here.
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException | EOFException e) {
            // Reset by the node: closed too.
            return true;
        }
    }

    /** "127.0.0.1:port" of this end, as the node names it in its reports. */
    String localAddress() {
        return Connection.describe(socket.getLocalSocketAddress());
    }

    void readTimeout(int millis) throws SocketException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
