package dev.dhcpcluster.bootstrap.cli;

import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.demo.Demo;
import dev.dhcpcluster.bootstrap.demo.DemoException;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dhcpcluster demo}: a three-node cluster on loopback that loses a node while its clients
 * hold leases; no root, no config file, and nothing left behind (the nodes' directory is
 * temporary).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts a cluster of three nodes on 127.0.0.11, .12 and .13 (processes of their own, one "
            + "secret, one pool, leases in SQLite in a temporary directory), leases addresses for many clients "
            + "through a relay on 127.0.0.2 that forwards to all three, SIGKILLs the node that granted the most, "
            + "renews every lease (the killed node's clients rebind to the survivors) and leases addresses for new "
            + "clients from the survivors. Prints what happened in a few lines and exits 0 only if every client "
            + "kept its address, every DISCOVER drew one offer and no address went to two clients."})
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--count", paramLabel = "N", defaultValue = "" + Demo.DEFAULT_COUNT,
            description = "How many clients lease an address before the kill, at most " + Demo.MAX_COUNT
                    + " (default: ${DEFAULT-VALUE}); a third as many new clients lease after it.")
    int count;

    @Option(names = "--concurrency", paramLabel = "M", defaultValue = "64",
            description = "How many exchanges are in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--store", paramLabel = "TYPE", defaultValue = NodeConfig.DEFAULT_STORE_TYPE,
            description = "The nodes' lease store: sqlite (default; in a temporary directory deleted at the end) "
                    + "or memory.")
    String store;

    @Override
    public Integer call() throws InterruptedException {
        if (count < 1 || concurrency < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count and --concurrency must be at least 1");
        }
        if (count > Demo.MAX_COUNT) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count: at most " + Demo.MAX_COUNT
                    + ", not " + count);
        }
        Set<String> stores = new ConfigLoader().catalog().storeTypes();
        if (!stores.contains(store)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--store: \"" + store
                    + "\" is not a known lease store; known: " + String.join(", ", stores));
        }
        try {
            Demo.Result result = new Demo(count, concurrency, store, spec.commandLine().getOut()).run();
            return result.success() ? 0 : DhcpclusterCommand.FAILED;
        } catch (DemoException e) {
            spec.commandLine().getErr().println("demo FAILED: " + e.getMessage());
            return DhcpclusterCommand.FAILED;
        }
    }
}
