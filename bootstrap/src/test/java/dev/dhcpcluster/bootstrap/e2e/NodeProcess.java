package dev.dhcpcluster.bootstrap.e2e;

import dev.dhcpcluster.bootstrap.config.AdminSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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

    /** Where a node's admin endpoint listens by default: on the loopback of the node's own namespace. */
    private static final String ADMIN = "http://" + AdminSettings.DEFAULT_LISTEN;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);

    private final NetworkLab lab;
    private final LabHost host;
    private final LabProcess process;
    private final Path configFile;
    private final Path dataDirectory;

    private NodeProcess(NetworkLab lab, LabHost host, LabProcess process, Path configFile, Path dataDirectory) {
        this.lab = lab;
        this.host = host;
        this.process = process;
        this.configFile = configFile;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Writes {@code config} to {@code <name>.json} in the lab's work directory, with
     * {@code <name>-data} there as the node's data directory, starts the node on {@code host}, and
     * waits (bounded) for its ready line; fails with the node's output if it exits or stays silent.
     */
    public static NodeProcess start(NetworkLab lab, LabHost host, String name, NodeConfigFile config) {
        NodeProcess node = launch(lab, host, name, config);
        node.awaitReady();
        return node;
    }

    /**
     * Like {@link #start}, but returns as soon as the node's JVM is started, so that several nodes
     * can start at once; {@link #awaitReady()} then waits for each.
     */
    public static NodeProcess launch(NetworkLab lab, LabHost host, String name, NodeConfigFile config) {
        Path file = lab.workDirectory().resolve(name + ".json");
        Path dataDirectory = lab.workDirectory().resolve(name + "-data");
        write(file, config, dataDirectory);
        return launch(lab, host, name, file, dataDirectory);
    }

    private static NodeProcess launch(NetworkLab lab, LabHost host, String processName, Path configFile,
            Path dataDirectory) {
        List<String> argv = JavaCommand.of(List.of("-Xmx256m"), MAIN,
                List.of("run", "--config", configFile.toString()));
        return new NodeProcess(lab, host, lab.start(processName, host, argv), configFile, dataDirectory);
    }

    /** Writes the file whole or not at all (a temporary file moved over it), so no reader sees half of it. */
    private static void write(Path file, NodeConfigFile config, Path dataDirectory) {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        try {
            Files.writeString(temporary, config.toJson(dataDirectory), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Replaces the node's config file with {@code config} (the same data directory), as an operator
     * edits it; the running node reads it at its next reload ({@link #reload()}) or restart.
     */
    public void rewriteConfig(NodeConfigFile config) {
        write(configFile, config, dataDirectory);
    }

    /** Asks the node to read its config file again (SIGHUP to its PID). */
    public void reload() {
        process.signal("HUP");
    }

    /**
     * Starts this (stopped) node again with the same config file and data directory, as a process
     * named {@code processName} (each process of a lab has a log of its own); does not wait for it.
     */
    public NodeProcess relaunch(String processName) {
        if (process.isAlive()) {
            throw new IllegalStateException(process.name() + " is still running");
        }
        return launch(lab, host, processName, configFile, dataDirectory);
    }

    /** Waits (bounded) for the node's ready line; fails with the node's output if it exits or stays silent. */
    public void awaitReady() {
        process.awaitOutput(READY, READY_TIMEOUT);
    }

    /** Returns the operating system's process id of the node. */
    public long pid() {
        return process.pid();
    }

    /** Returns the lab host the node runs on. */
    public LabHost host() {
        return host;
    }

    /**
     * Kills the node by its PID with SIGKILL, as a crash would end it (nothing is flushed or
     * closed), and waits until it has ended.
     */
    public void kill() {
        process.signal("KILL");
        process.awaitExit(Duration.ofSeconds(10));
    }

    /** Returns whether the node's process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Asks the node's admin endpoint for {@code path} ({@code /status}, {@code /leases?limit=10})
     * from inside the node's namespace, where it listens on loopback; returns the body of a 200
     * answer, or empty if there was none (the node is not listening, or answered otherwise).
     * Busybox's wget asks (it comes with udhcpc); the call is bounded as a whole.
     */
    public Optional<String> admin(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
        Command.Result result = host.run(ADMIN_TIMEOUT, Tools.require("busybox"), "wget", "-q", "-O", "-",
                ADMIN + path);
        return result.succeeded() ? Optional.of(result.output()) : Optional.empty();
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
