package dev.dhcpcluster.bootstrap.admin;

/** An admin token file that cannot be used; the message names the file and says why. */
public final class AdminTokenException extends Exception {

    public AdminTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
