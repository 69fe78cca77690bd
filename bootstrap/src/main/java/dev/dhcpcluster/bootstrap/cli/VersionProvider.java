package dev.dhcpcluster.bootstrap.cli;

import picocli.CommandLine;

/** The version printed by {@code --version}: the jar's implementation version, if packaged. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = DhcpclusterCommand.class.getPackage().getImplementationVersion();
        return new String[] {"dhcpcluster " + (version == null ? "(development build)" : version)};
    }
}
