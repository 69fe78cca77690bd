package dev.dhcpcluster.port.store;

/** A lease store cannot do what was asked: open, read or write its medium. */
public class LeaseStoreException extends Exception {

    public LeaseStoreException(String message) {
        super(message);
    }

    public LeaseStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
