package dev.dhcpcluster.bootstrap.cli;

import dev.dhcpcluster.bootstrap.config.AdapterNames;
import dev.dhcpcluster.bootstrap.config.StoreSettings;
import dev.dhcpcluster.bootstrap.demo.Demo;
import dev.dhcpcluster.bootstrap.demo.DemoException;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dhcpcluster demo}: a node and a load of clients on loopback; no root, no config file, and
 * nothing left behind (the node's data directory is temporary).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts a node on 127.0.0.1 (a free port), keeping its leases in SQLite in a temporary data "
            + "directory, and leases addresses for many clients from 127.0.0.2 acting as a relay; prints the results "
            + "and exits 0 only if every lease is unique."})
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1000",
            description = "How many clients lease an address (default: ${DEFAULT-VALUE}; the pool has 2048).")
    int count;

    @Option(names = "--concurrency", paramLabel = "M", defaultValue = "64",
            description = "How many exchanges are in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--store", paramLabel = "TYPE", defaultValue = StoreSettings.DEFAULT_TYPE,
            description = "The node's lease store: sqlite (default; in a temporary data directory deleted at the end) "
                    + "or memory.")
    String store;

    @Override
    public Integer call() throws InterruptedException {
        if (count < 1 || concurrency < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count and --concurrency must be at least 1");
        }
        if (!AdapterNames.STORES.contains(store)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--store: \"" + store
                    + "\" is not a known lease store; known: " + String.join(", ", new TreeSet<>(AdapterNames.STORES)));
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
