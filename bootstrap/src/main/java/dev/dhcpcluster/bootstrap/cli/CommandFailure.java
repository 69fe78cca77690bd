package dev.dhcpcluster.bootstrap.cli;

/** Ends a command with one line on standard error and an exit code ({@link DhcpclusterCommand}). */
final class CommandFailure extends Exception {

    private final int exitCode;

    CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
