package dev.dhcpcluster.bootstrap.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.opentest4j.AssertionFailedError;

/**
 * A dhcpcluster node ({@code Main run --config FILE}) running in a lab host's namespace, in its own
 * JVM with the test classpath. The lab stops it when it closes: SIGTERM to its PID, SIGKILL if it
 * has not ended after a bound.
 */
public final class NodeProcess {

    /** The line a node prints once it serves DHCP: {@code dhcpcluster node 1 serving 198.18.0.0/24 on ...}. */
    public static final Pattern READY = Pattern.compile("(?m)^dhcpcluster node \\d+ serving .*$");

    private static final String MAIN = "dev.dhcpcluster.bootstrap.Main";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final LabProcess process;
    private final Path configFile;

    private NodeProcess(LabProcess process, Path configFile) {
        this.process = process;
        this.configFile = configFile;
    }

    /**
     * Writes {@code config} to {@code <name>.json} in the lab's work directory, with
     * {@code <name>-data} there as the node's data directory, starts the node on {@code host}, and
     * waits (bounded) for its ready line; fails with the node's output if it exits or stays silent.
     */
    public static NodeProcess start(NetworkLab lab, LabHost host, String name, NodeConfigFile config) {
        Path file = lab.workDirectory().resolve(name + ".json");
        try {
            Files.writeString(file, config.toJson(lab.workDirectory().resolve(name + "-data")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        List<String> argv = JavaCommand.of(List.of("-Xmx256m"), MAIN,
                List.of("run", "--config", file.toString()));
        NodeProcess node = new NodeProcess(lab.start(name, host, argv), file);
        node.process.awaitOutput(READY, READY_TIMEOUT);
        return node;
    }

    /** Returns everything the node has logged so far. */
    public String output() {
        return process.output();
    }

    /**
     * Returns the leases in the node's store, as {@code dhcpcluster leases} prints them. The store
     * belongs to the running node, so call this after {@link #stop(Duration)}.
     */
    public List<StoredLease> leases() {
        Command.Result result = Command.run(Command.DEFAULT_TIMEOUT,
                JavaCommand.of(List.of("-Xmx128m"), MAIN, List.of("leases", "--config", configFile.toString())));
        if (!result.succeeded()) {
            throw new AssertionFailedError("dhcpcluster leases failed with " + result.exitCode()
                    + System.lineSeparator() + result.output());
        }
        return StoredLease.parse(result.output());
    }

    /** Returns the node's output with a header, for failure messages. */
    public String describe() {
        return process.describe();
    }

    /**
     * Stops the node as an operator would, SIGTERM to its PID (SIGKILL if it has not ended after
     * {@code grace}), so that its output then holds what it logs while stopping, such as its
     * traffic counts.
     *
     * @return the exit code, or empty if even SIGKILL did not end it
     */
    public OptionalInt stop(Duration grace) {
        return process.stop(grace);
    }
}
