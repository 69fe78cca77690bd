package dev.dhcpcluster.bootstrap.plugin;

/** The plugins cannot be loaded: a directory that cannot be read, a broken jar, two providers of one type. */
public final class PluginException extends Exception {

    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
