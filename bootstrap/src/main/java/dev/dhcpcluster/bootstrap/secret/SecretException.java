package dev.dhcpcluster.bootstrap.secret;

/** A secret, key store or password file that cannot be used; the message names the field or file and says why. */
public final class SecretException extends Exception {

    public SecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
