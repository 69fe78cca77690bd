package dev.dhcpcluster.port.dhcp;

import dev.dhcpcluster.port.model.Datagram;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * The life cycle every {@link DhcpTransport} must get right, written once, for a transport that
 * receives by blocking on one source (a socket, a stream, a queue): it starts once, receives on a
 * thread of its own, keeps receiving when the handler throws, and, once closed, has finished its
 * last call to the handler. A subclass says how to open, receive, release and send.
 *
 * <p>{@link #receive} blocks until a datagram arrives; {@link #release}, called by {@link #close}
 * from another thread, must make it return or throw. An {@link IOException} from {@code receive}
 * that is not caused by closing ends receiving for good (the source is gone: a stream at its end,
 * a controller that hung up) and is logged once.
 */
public abstract class ReceivingTransport implements DhcpTransport {

    private static final System.Logger LOG = System.getLogger(ReceivingTransport.class.getName());

    private final Object lifecycle = new Object();
    private boolean started;
    private boolean opened;
    private volatile boolean closed;
    private Thread receiver;

    /** Opens the source: binds, connects. Called once, by {@link #start}, before receiving begins. */
    protected abstract void open() throws IOException;

    /**
     * The next datagram, blocking until one arrives.
     *
     * @throws IOException once the source is released or gone
     */
    protected abstract Datagram receive() throws IOException;

    /** Releases the source, so that a {@link #receive} in progress returns or throws. Called once. */
    protected abstract void release() throws IOException;

    @Override
    public final void start(DhcpHandler handler) throws IOException {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException(describe() + " was started or closed before");
            }
            started = true;
            open();
            opened = true;
            receiver = new Thread(() -> receiveAll(handler), getClass().getSimpleName() + "-receiver");
            receiver.setDaemon(true);
            receiver.start();
        }
    }

    private void receiveAll(DhcpHandler handler) {
        while (!closed) {
            Datagram datagram;
            try {
                datagram = receive();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "{0} stopped receiving: {1}", describe(), e.toString());
                }
                return;
            }
            if (closed) {
                return;
            }
            try {
                handler.handle(datagram);
            } catch (RuntimeException e) {
                // The handler's bug is not the transport's: the next datagram is handled all the same.
                LOG.log(Level.ERROR, describe() + ": the handler failed on a datagram", e);
            }
        }
    }

    /** Releases the source and waits until the receiving thread has made its last handler call. Idempotent. */
    @Override
    public final void close() {
        Thread running;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            running = receiver;
            if (!opened) {
                return;
            }
            try {
                release();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "{0} did not close cleanly: {1}", describe(), e.toString());
            }
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
