package dev.dhcpcluster.bootstrap.demo;

/** The demo could not run: a socket could not be bound, the node did not start, the run hung. */
public final class DemoException extends Exception {

    public DemoException(String message, Throwable cause) {
        super(message, cause);
    }
}
