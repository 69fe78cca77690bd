package dev.dhcpcluster.bootstrap.runtime;

/** A node could not start: a port could not be bound, the store could not be read, and so on. */
public final class NodeStartException extends Exception {

    public NodeStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
