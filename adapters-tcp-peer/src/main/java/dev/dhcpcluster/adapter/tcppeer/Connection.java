package dev.dhcpcluster.adapter.tcppeer;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerRefusal;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One TCP connection to a would-be or authenticated peer: its socket, its frame reading and
 * writing, and its outgoing queue.
 *
 * <p>One thread reads (the connection's own thread: the dialer's, or the one started for an
 * accepted socket) and, once the connection is established, one writer thread drains the queue.
 * During the handshake the reading thread writes too, before the writer exists.
 */
final class Connection {

    /** Frames waiting for the writer; beyond this a message is dropped, so a stuck peer costs bounded memory. */
    static final int OUTBOX_CAPACITY = 1024;

    private final Socket raw;
    private final boolean dialed;
    private final String address;
    private final BlockingQueue<byte[]> outbox = new ArrayBlockingQueue<>(OUTBOX_CAPACITY);
    private final AtomicBoolean handshakeOver = new AtomicBoolean();
    private volatile boolean timedOut;
    private volatile boolean closed;
    private volatile NodeId claimed;
    private volatile String observer;
    /** The frame after which the writer closes the connection, once it is written; null until one is set. */
    private volatile byte[] last;
    private final CountDownLatch lastWritten = new CountDownLatch(1);
    private volatile Duration roundTrip;
    private volatile Thread writer;
    private InputStream in;
    private OutputStream out;
    private long lastHeardNanos;

    /** A connection over {@code raw}; {@code address} names the other end for reports. */
    Connection(Socket raw, boolean dialed, String address) {
        this.raw = raw;
        this.dialed = dialed;
        this.address = address;
    }

    /** "host:port" of an address, without the resolver's decoration. */
    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return host + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    Socket raw() {
        return raw;
    }

    boolean dialed() {
        return dialed;
    }

    /** Reads and writes frames over {@code socket} from now on (the raw one, or TLS over it). */
    void useStreams(Socket socket) throws IOException {
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream());
    }

    /** The node id the other side claimed in its hello, once it has sent one. */
    void claim(NodeId node) {
        claimed = node;
    }

    /** The observer name the other side sent in its hello, once it has sent one. */
    void claimObserver(String name) {
        observer = name;
    }

    /** The observer name the other side sent in its hello, if it sent an observer's hello. */
    Optional<String> observerName() {
        return Optional.ofNullable(observer);
    }

    /** Who is at the other end, for a report: the address, and the node id or observer name it claimed if any. */
    String remote() {
        NodeId node = claimed;
        String name = observer;
        return node != null ? address + " (claims " + node + ")"
                : name != null ? address + " (observer \"" + name + "\")" : address;
    }

    String address() {
        return address;
    }

    /**
     * Ends the handshake phase; false if the handshake timeout ended it first. Called once by the
     * connection's thread when the handshake succeeds, and by the watchdog at the deadline.
     */
    boolean finishHandshake() {
        return handshakeOver.compareAndSet(false, true);
    }

    /** The watchdog's deadline: closes the connection if its handshake is still running. */
    void handshakeDeadline() {
        if (finishHandshake()) {
            timedOut = true;
            close();
        }
    }

    boolean timedOut() {
        return timedOut;
    }

    /** Writes one encoded frame at once; only during the handshake, before the writer thread runs. */
    void writeNow(byte[] frame) throws IOException {
        out.write(frame);
        out.flush();
    }

    /**
     * Reads the next frame body, at most {@code maxBytes} long. Between reads it calls
     * {@code idle} when the socket's read timeout passes without a byte.
     *
     * @throws RefusalException if the length prefix is above {@code maxBytes} or not positive;
     *     nothing has been allocated for the body then
     */
    byte[] readFrame(int maxBytes, IdleCheck idle) throws IOException, RefusalException {
        byte[] prefix = new byte[FrameCodec.PREFIX_BYTES];
        readFully(prefix, idle);
        int length = ((prefix[0] & 0xff) << 24) | ((prefix[1] & 0xff) << 16) | ((prefix[2] & 0xff) << 8) | (prefix[3] & 0xff);
        if (length < 0 || length > maxBytes) {
            throw RefusalException.silent(PeerRefusal.OVERSIZED_FRAME, looksLikeTls(prefix)
                    ? "a TLS record where a frame's length was expected: the other side speaks TLS and this one does "
                            + "not; give both the same TLS settings"
                    : "a frame of " + Integer.toUnsignedString(length) + " bytes announced, at most " + maxBytes
                            + " accepted");
        }
        if (length == 0) {
            throw RefusalException.silent(PeerRefusal.MALFORMED_FRAME, "an empty frame");
        }
        byte[] body = new byte[length];
        readFully(body, idle);
        return body;
    }

    /**
     * True if {@code prefix} opens a TLS record (a content type of 20 to 23, then major version 3):
     * what a plain side reads from a side that speaks TLS, typically its alert. Read as a length, it
     * is about 350 MB, so it is refused as oversized either way; this only tells the operator why.
     */
    static boolean looksLikeTls(byte[] prefix) {
        int contentType = prefix[0] & 0xff;
        return contentType >= 20 && contentType <= 23 && prefix[1] == 3;
    }

    private void readFully(byte[] buffer, IdleCheck idle) throws IOException {
        int offset = 0;
        while (offset < buffer.length) {
            int n;
            try {
                n = in.read(buffer, offset, buffer.length - offset);
            } catch (SocketTimeoutException e) {
                idle.check(System.nanoTime() - lastHeardNanos);
                continue;
            }
            if (n < 0) {
                throw new EOFException("closed by the other side");
            }
            offset += n;
            lastHeardNanos = System.nanoTime();
        }
    }

    /** Starts counting silence from now. */
    void heardNow() {
        lastHeardNanos = System.nanoTime();
    }

    /** What a reader does when its read timeout passes: throw to end the connection, or return to read on. */
    @FunctionalInterface
    interface IdleCheck {
        void check(long silentNanos) throws IOException;
    }

    /** Queues an encoded frame for the writer; false (dropped) if the queue is full or the connection closed. */
    boolean offer(byte[] frame) {
        return !closed && outbox.offer(frame);
    }

    /**
     * The writer's loop: drains the queue, and sends a ping whenever {@code heartbeatNanos} pass,
     * until the connection closes or a write fails.
     */
    void writeLoop(long heartbeatNanos) {
        writer = Thread.currentThread();
        long nextPing = System.nanoTime();
        try {
            while (!closed) {
                long now = System.nanoTime();
                if (now - nextPing >= 0) {
                    out.write(FrameCodec.encode(new Frames.Ping(now)));
                    out.flush();
                    nextPing = now + heartbeatNanos;
                    continue;
                }
                byte[] frame = outbox.poll(nextPing - now, java.util.concurrent.TimeUnit.NANOSECONDS);
                if (frame == null) {
                    continue;
                }
                do {
                    out.write(frame);
                    if (frame == last) {
                        out.flush();
                        lastWritten.countDown();
                        close();
                        return;
                    }
                    frame = outbox.poll();
                } while (frame != null);
                out.flush();
            }
        } catch (IOException e) {
            // The reader sees the closed socket and reports the disconnection once.
            close();
        } catch (InterruptedException e) {
            // close() interrupts a writer waiting for frames.
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Queues {@code frame} as the last one, after what is queued already, and closes the
     * connection once the writer has written it, or after {@code timeoutNanos} at most.
     */
    void sendLastAndClose(byte[] frame, long timeoutNanos) {
        last = frame;
        if (offer(frame)) {
            try {
                lastWritten.await(timeoutNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
    }

    void roundTrip(Duration measured) {
        roundTrip = measured;
    }

    Duration roundTrip() {
        return roundTrip;
    }

    /** Closes the socket, which ends a blocked read or write, and wakes the writer. Idempotent. */
    void close() {
        closed = true;
        try {
            // The raw socket: closing a TLS socket would first try to write its close_notify,
            // which could block behind a peer that reads nothing.
            raw.close();
        } catch (IOException e) {
            // Nothing is left to do with a socket that fails to close.
        }
        Thread w = writer;
        if (w != null) {
            w.interrupt();
        }
    }

    boolean closed() {
        return closed;
    }
}
