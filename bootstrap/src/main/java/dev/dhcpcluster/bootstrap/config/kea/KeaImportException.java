package dev.dhcpcluster.bootstrap.config.kea;

/**
 * A Kea file that cannot be converted at all: unreadable, not JSON (even with Kea's comments), or
 * without a {@code Dhcp4} section. The message names the file and, for syntax errors, the line and
 * column.
 */
public final class KeaImportException extends Exception {

    private static final long serialVersionUID = 1L;

    KeaImportException(String message) {
        super(message);
    }
}
