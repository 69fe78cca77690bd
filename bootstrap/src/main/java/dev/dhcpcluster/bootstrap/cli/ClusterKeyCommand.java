package dev.dhcpcluster.bootstrap.cli;

import dev.dhcpcluster.bootstrap.secret.ClusterSecret;
import dev.dhcpcluster.bootstrap.secret.SecretException;
import dev.dhcpcluster.core.text.SafeText;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dhcpcluster cluster-key FILE}: writes a new cluster secret. */
@Command(name = "cluster-key", mixinStandardHelpOptions = true,
        description = {"Writes a new cluster secret to FILE: " + ClusterSecret.GENERATED_BYTES + " random bytes as one "
            + "line of base64, in a file of mode 0600 that only you can read. Copy the file to every member of the "
            + "cluster and name it in cluster.secret-file.",
            "Refuses to replace an existing FILE unless --force is given. Exits 0 if written, 1 if not."})
final class ClusterKeyCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The file to write.")
    Path file;

    @Option(names = "--force", description = "Replace FILE if it exists (every peer then needs the new secret).")
    boolean force;

    @Override
    public Integer call() {
        try {
            ClusterSecret.generate(file, force);
        } catch (SecretException e) {
            spec.commandLine().getErr().println(SafeText.inline(e.getMessage()));
            return DhcpclusterCommand.FAILED;
        }
        spec.commandLine().getOut().println("wrote a new cluster secret to " + SafeText.inline(file.toString())
                + " (mode 0600); copy it to every member");
        return 0;
    }
}
