package dev.dhcpcluster.bootstrap.cli;

import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.runtime.NodeComponent;
import dev.dhcpcluster.bootstrap.text.SafeText;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import javax.inject.Provider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dhcpcluster leases --config FILE}: prints every lease in a node's store file, read through
 * the same store adapter the node uses, without starting the node.
 */
@Command(name = "leases", mixinStandardHelpOptions = true,
        description = {"Prints every lease in the lease store of the node FILE describes, one line each, ordered by "
            + "address: address, state, expiry (UTC), hardware address, client, node, version, hostname.",
            "Reads the store's file without starting the node; exits 1 if there is no file or it cannot be read."})
final class LeasesCommand implements Callable<Integer> {

    /** The first line printed: the names of the columns. */
    static final String HEADER = "address state expiry hardware-address client node version hostname";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's JSON config file.")
    Path config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NodeConfig node;
        try {
            node = new ConfigLoader().load(config);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return DhcpclusterCommand.USAGE;
        }
        String type = node.leaseStore().type();
        if (node.leaseStore().file().isEmpty()) {
            err.println("the " + type + " lease store keeps its leases inside the running node only; there is no "
                    + "file to read");
            return DhcpclusterCommand.FAILED;
        }
        Path file = node.leaseStore().file().get();
        if (!Files.isRegularFile(file)) {
            // Opening a store creates its file; reading must not.
            err.println("no lease store at " + file + " (lease-store.file): the node has not run with it yet");
            return DhcpclusterCommand.FAILED;
        }
        Provider<LeaseStore> provider = NodeComponent.of(node).leaseStores().get(type);
        List<Lease> leases;
        try (LeaseStore store = provider.get()) {
            leases = store.loadAll();
        } catch (LeaseStoreException e) {
            // The store's message names the file and says what is wrong (or that a running node holds it).
            err.println("lease store: " + e.getMessage());
            return DhcpclusterCommand.FAILED;
        }
        out.println(HEADER);
        leases.stream().sorted(Comparator.comparing(Lease::address)).map(LeasesCommand::line)
                .forEach(out::println);
        out.flush();
        return 0;
    }

    /**
     * One lease as printed: fields separated by one space. The host name came from a client, so it
     * is escaped ({@link SafeText#field}): a space, a newline or an escape sequence in it cannot
     * split the line or add one.
     */
    static String line(Lease lease) {
        return lease.address() + " " + lease.state() + " " + lease.expiry() + " " + lease.hardwareAddress() + " "
                + lease.clientKey() + " " + lease.owner().value() + " " + lease.version() + " "
                + lease.hostname().map(SafeText::field).orElse("-");
    }
}
