package dev.dhcpcluster.bootstrap.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dhcpcluster.bootstrap.admin.AdminClient;
import dev.dhcpcluster.core.text.SafeText;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dhcpcluster lease ...}: changes one lease of a running node. */
@Command(name = "lease", mixinStandardHelpOptions = true, description = "Changes one lease of a running node.",
        subcommands = {LeaseCommand.Delete.class})
final class LeaseCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: del");
    }

    /** {@code dhcpcluster lease del ADDRESS}: {@code DELETE /leases/ADDRESS} with the admin token. */
    @Command(name = "del", mixinStandardHelpOptions = true,
            description = {"Removes the lease of ADDRESS from the running node: the address is free at once, and the "
                + "node answers only once its store holds no live lease for it. Needs the admin token.",
                "Exits 1 if no lease holds the address, the token is refused, or no node answers."})
    static final class Delete implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminTarget target;

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "The admin token file (default: admin.token-file of --config).")
        Path tokenFile;

        @Parameters(paramLabel = "ADDRESS", description = "The leased address.")
        String address;

        @Override
        public Integer call() {
            try {
                Ipv4Address parsed;
                try {
                    parsed = Ipv4Address.parse(address);
                } catch (IllegalArgumentException e) {
                    throw new CommandFailure(DhcpclusterCommand.USAGE, "ADDRESS: \"" + SafeText.inline(address)
                            + "\" is not an IPv4 address");
                }
                AdminClient client = target.client(Optional.of(target.token(tokenFile)));
                AdminClient.Response response = Requests.send(() -> client.delete("/leases/" + parsed));
                if (!response.ok()) {
                    throw new CommandFailure(DhcpclusterCommand.FAILED, SafeText.inline(response.error()));
                }
                JsonNode lease = response.json().path("lease");
                spec.commandLine().getOut().println("removed the lease of " + parsed + " ("
                        + SafeText.inline(lease.path("client").asText()) + "); the address is free");
                spec.commandLine().getOut().flush();
                return 0;
            } catch (CommandFailure e) {
                spec.commandLine().getErr().println(e.getMessage());
                return e.exitCode();
            } catch (JsonProcessingException e) {
                spec.commandLine().getErr().println("the node's answer is not JSON: " + e.getOriginalMessage());
                return DhcpclusterCommand.FAILED;
            }
        }
    }
}
