package dev.dhcpcluster.bootstrap.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dhcpcluster.bootstrap.admin.AdminClient;
import dev.dhcpcluster.core.text.SafeText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dhcpcluster reload}: {@code POST /reload} with the admin token; prints what the reload did. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = {"Asks the running node to read its config file again and apply what can change live, keeping "
            + "every lease (as SIGHUP does). Prints what changed and which changed fields need a restart, or why "
            + "the file was refused (the node then runs on unchanged). Needs the admin token.",
            "Exits 0 if the file was applied, 1 if it was refused or no node answers."})
final class ReloadCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    AdminTarget target;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "The admin token file (default: admin.token-file of --config).")
    Path tokenFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            AdminClient client = target.client(Optional.of(target.token(tokenFile)));
            AdminClient.Response response = Requests.send(() -> client.post("/reload"));
            if (response.status() != 200 && response.status() != 422) {
                throw new CommandFailure(DhcpclusterCommand.FAILED, SafeText.inline(response.error()));
            }
            JsonNode outcome = response.json();
            boolean applied = outcome.path("applied").asBoolean(false);
            if (applied) {
                out.println(outcome.path("changes").isEmpty() ? "reloaded: nothing changed live" : "reloaded:");
                outcome.path("changes").forEach(change -> out.println("  changed: " + SafeText.inline(change.asText())));
                outcome.path("restart-needed").forEach(field -> out.println("  needs a restart (old value kept): "
                        + SafeText.inline(field.asText())));
                out.flush();
                return 0;
            }
            err.println("reload refused; the node runs on its old config:");
            outcome.path("errors").forEach(error -> err.println("  " + SafeText.inline(error.asText())));
            return DhcpclusterCommand.FAILED;
        } catch (CommandFailure e) {
            err.println(e.getMessage());
            return e.exitCode();
        } catch (JsonProcessingException e) {
            err.println("the node's answer is not JSON: " + e.getOriginalMessage());
            return DhcpclusterCommand.FAILED;
        }
    }
}
