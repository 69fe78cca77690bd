package dev.dhcpcluster.bootstrap.admin;

/**
 * A request the endpoint refuses with 400: the message says what is wrong, naming the parameter.
 */
public final class BadRequest extends Exception {

    private final String parameter;

    BadRequest(String parameter, String message) {
        super(parameter + ": " + message);
        this.parameter = parameter;
    }

    /** The query parameter (or path segment) that is wrong. */
    public String parameter() {
        return parameter;
    }
}
