package dev.dhcpcluster.bootstrap.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A real DHCP client program on a lab host, run with the tests' own {@link LeaseScript}, so that
 * every lease it gets is recorded and nothing outside the lab is changed. Its files live in a
 * directory of its own in the lab's work directory. A subclass says how its program is started and
 * driven; starting it, waiting for what its script records and holding its process are the same for
 * every client.
 */
public abstract class RealClient {

    /** How long a client may take to exit after SIGTERM before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final NetworkLab lab;
    private final LabHost host;
    private final String name;
    private final Path directory;
    private final LeaseScript script;
    private LabProcess process;
    private int starts;

    /**
     * Prepares (does not start) a client named {@code name} for {@code host}'s interface.
     *
     * @param scriptWriter writes the client's script into the client's directory
     */
    protected RealClient(NetworkLab lab, LabHost host, String name, Function<Path, LeaseScript> scriptWriter) {
        this.lab = lab;
        this.host = host;
        this.name = name;
        this.directory = lab.workDirectory().resolve(name);
        this.script = scriptWriter.apply(directory);
    }

    /**
     * Starts the client in the foreground, so that the PID the lab knows is the client's own. The
     * first start's process is named for the client; a later one's gets a number
     * ({@code dhclient-2}), so that each start has a log of its own.
     */
    public final LabProcess start() {
        String processName = starts == 0 ? name : name + "-" + (starts + 1);
        process = lab.start(processName, host, command());
        starts++;
        return process;
    }

    /**
     * Stops the running client by its PID (SIGTERM, as a shutdown of the machine would) and starts
     * it again with the same files, so that it begins from whatever lease state it saved.
     */
    public final LabProcess restart() {
        LabProcess running = process();
        if (running.stop(STOP_GRACE).isEmpty()) {
            throw new IllegalStateException("could not stop " + running.name() + " (pid " + running.pid() + ")");
        }
        return start();
    }

    /** Returns the command line that runs the client in the foreground on {@link #host()}'s interface. */
    protected abstract List<String> command();

    /**
     * Waits (bounded) for the first script event after the first {@code skip} that satisfies
     * {@code condition}; on timeout fails with the events and the output of every lab process.
     */
    public final LeaseEvent await(String description, int skip, Predicate<LeaseEvent> condition, Duration timeout) {
        return script.await(name + " " + description, skip, condition, timeout, lab::describeProcesses);
    }

    /** Returns the events the script recorded. */
    public final LeaseScript script() {
        return script;
    }

    /** Returns the running process (after {@link #start()}). */
    public final LabProcess process() {
        if (process == null) {
            throw new IllegalStateException(name + " has not been started");
        }
        return process;
    }

    /** Returns the host the client runs on. */
    public final LabHost host() {
        return host;
    }

    /** Returns the client's own directory (it exists once the script is written). */
    protected final Path directory() {
        return directory;
    }

    /**
     * Writes a config file of the client's own into its directory, one line per element, so that
     * the machine's config cannot change what the client sends; returns the file's path.
     */
    protected final Path writeConfig(String fileName, String... lines) {
        Path file = directory.resolve(fileName);
        try {
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** Creates a directory of the client's own inside its directory, and returns its path. */
    protected final Path createDirectory(String directoryName) {
        Path created = directory.resolve(directoryName);
        try {
            return Files.createDirectories(created);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + created, e);
        }
    }
}
