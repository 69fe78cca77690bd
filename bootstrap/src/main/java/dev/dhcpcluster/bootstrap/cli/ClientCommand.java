package dev.dhcpcluster.bootstrap.cli;

import dev.dhcpcluster.bootstrap.runtime.EventLoop;
import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.client.AckLog;
import dev.dhcpcluster.testkit.client.ClientReport;
import dev.dhcpcluster.testkit.client.DhcpClient;
import dev.dhcpcluster.testkit.client.LoadSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dhcpcluster client}: a DHCP client and load generator that talks to a server the way a
 * relay does, and fails loudly on a duplicate address, an unexpected NAK, or a client left
 * without a lease.
 */
@Command(name = "client", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Obtains leases for many synthetic clients, speaking DHCP over UDP as a relay does: it binds "
            + "--bind on --port, sets giaddr to --bind, and the server answers there (so the server's relay port "
            + "must be --port).",
            "Exits 1 if any address is leased twice, any NAK arrives, or any client gets no lease."})
final class ClientCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--server", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "The server's address (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--server-port", paramLabel = "N", defaultValue = "67",
            description = "The server's port (default: ${DEFAULT-VALUE}).")
    int serverPort;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.2",
            description = "The address to bind and put in giaddr (default: ${DEFAULT-VALUE}); the server must "
                    + "serve a subnet for it.")
    String bind;

    @Option(names = "--port", paramLabel = "N", defaultValue = "67",
            description = "The port to bind, where the server answers (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1",
            description = "How many clients obtain a lease, each with its own hardware address (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--concurrency", paramLabel = "M", defaultValue = "16",
            description = "How many exchanges are in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "1000",
            description = "How long a request waits for its answer before it is sent again (default: ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "3",
            description = "How many times a request is sent again before its client gives up (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--renew", description = "Renew every lease once and check that the address stays.")
    boolean renew;

    @Option(names = "--release", description = "Release every lease at the end.")
    boolean release;

    @Option(names = "--expect-subnet", paramLabel = "CIDR",
            description = "Fail if a leased address is outside this prefix (e.g. 198.18.0.0/16).")
    String expectSubnet;

    @Option(names = "--first-mac", paramLabel = "N", defaultValue = "1",
            description = "Client i has hardware address 02:00 followed by N+i in four octets (default: ${DEFAULT-VALUE}); "
                    + "runs with disjoint ranges are different clients.")
    long firstMac;

    @Option(names = "--ack-log", paramLabel = "FILE",
            description = "Append one line per DHCPACK to FILE the moment it arrives: received, address, hardware "
                    + "address, lease seconds, expiry (from when the REQUEST was first sent).")
    Path ackLog;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Ipv4Address bindAddress;
        InetSocketAddress target;
        LoadSettings settings;
        try {
            bindAddress = Ipv4Address.parse(bind);
            target = new InetSocketAddress(Ipv4Address.parse(server).toString(), checkPort("--server-port", serverPort));
            checkPort("--port", port);
            Optional<Ipv4Prefix> expected = Optional.ofNullable(expectSubnet).map(Ipv4Prefix::parse);
            settings = new LoadSettings(count, concurrency, Duration.ofMillis(timeoutMillis), retries, renew, release,
                    expected, firstMac, bindAddress);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        // The client's sessions run on a loop of their own, the same kind a node runs on.
        EventLoop loop = new EventLoop("dhcpcluster-client");
        loop.startAsync().awaitRunning();
        try (AckLog acks = ackLog == null ? null : AckLog.open(ackLog);
                DhcpClient client = DhcpClient.open(new InetSocketAddress(bindAddress.toString(), port), loop, loop)) {
            ClientReport report = client.run(target, settings, settings.longestRun(), acks == null ? ack -> { } : acks);
            report.lines().forEach(out::println);
            out.flush();
            Optional<String> logFailure = acks == null ? Optional.empty() : acks.failure();
            logFailure.ifPresent(err::println);
            if (!report.success()) {
                err.println("client run FAILED against " + server + ":" + serverPort + ": "
                        + report.failures().size() + " failed clients, " + report.duplicates().size()
                        + " duplicate addresses, " + report.naks() + " NAKs");
                return DhcpclusterCommand.FAILED;
            }
            return logFailure.isPresent() ? DhcpclusterCommand.FAILED : 0;
        } catch (IOException e) {
            err.println(e.getMessage());
            return DhcpclusterCommand.FAILED;
        } catch (TimeoutException | ExecutionException e) {
            err.println("client run did not finish: " + e);
            return DhcpclusterCommand.FAILED;
        } finally {
            loop.stopAsync().awaitTerminated();
        }
    }

    private static int checkPort(String option, int value) {
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException(option + " must be 1-65535, not " + value);
        }
        return value;
    }
}
