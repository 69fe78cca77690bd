package dev.dhcpcluster.bootstrap.runtime;

/**
 * An expected reason for a node not to start, fully explained by its message: a store file that
 * is corrupt or written by a newer version, a data directory that cannot be created or written.
 * The operator needs the message, not a stack trace, so the node reports it without one.
 */
public final class StartRefused extends Exception {

    public StartRefused(String message) {
        super(message);
    }

    public StartRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
