package dev.dhcpcluster.port.peer;

/** A {@link VoteStore} could not read or durably write a vote. */
public final class VoteStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public VoteStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public VoteStoreException(String message) {
        super(message);
    }
}
