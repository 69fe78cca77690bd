package dev.dhcpcluster.bootstrap;

import dev.dhcpcluster.bootstrap.cli.DhcpclusterCommand;

/** The entry point of {@code dhcpcluster.jar}: runs the {@code dhcpcluster} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(DhcpclusterCommand.execute(args));
    }
}
