package dev.dhcpcluster.bootstrap.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A throw-away network built from Linux network namespaces: one namespace holding a bridge (the
 * "switch"), and one namespace per {@link LabHost}, each joined to the bridge by a veth pair. A lab
 * can hold more links: {@link #addSwitch()} adds another bridge, {@link #addHostOnSwitch} a host on
 * it, and {@link #plug} gives an existing host one more interface on it.
 *
 * <p>Names carry this JVM's PID and a random suffix ({@code dce2e-<pid>-<hex>-<role>}), so labs of
 * parallel runs, or leftovers of a run that was killed, never clash. Addresses come from
 * 198.18.0.0/15 only. {@link #close()} stops every process the lab started (by PID: SIGTERM, then
 * SIGKILL), kills by PID anything those processes left behind inside the lab's namespaces, deletes
 * every namespace it created (which also removes the bridge and the veth pairs) and its work
 * directory. A JVM shutdown hook closes labs a test could not close itself.
 */
public final class NetworkLab implements AutoCloseable {

    /** The prefix of every namespace a lab creates. */
    public static final String NAMESPACE_PREFIX = "dce2e";

    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9]{0,11}");
    private static final Pattern INTERFACE = Pattern.compile("[a-z][a-z0-9]{0,14}");
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final String BRIDGE = "br0";
    private static final String HOST_INTERFACE = "eth0";
    private static final Set<NetworkLab> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(NetworkLab::closeAllOpen, "network-lab-cleanup"));
    }

    private final String ip = Tools.require("ip");
    private final String id;
    private final String switchNamespace;
    private final Path workDirectory;
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> switches = new ArrayList<>(List.of(BRIDGE));
    private final List<LabProcess> processes = new ArrayList<>();
    private final Set<String> processNames = new HashSet<>();
    private int nextPort = 1;
    private boolean closed;

    private NetworkLab(String id, Path workDirectory) {
        this.id = id;
        this.workDirectory = workDirectory;
        this.switchNamespace = id + "-sw";
    }

    /** Creates a lab with an empty bridge; add hosts with {@link #addHost}. */
    public static NetworkLab create() {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        String id = NAMESPACE_PREFIX + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
        Path workDirectory;
        try {
            workDirectory = Files.createTempDirectory(id + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory for " + id, e);
        }
        NetworkLab lab = new NetworkLab(id, workDirectory);
        OPEN.add(lab);
        try {
            lab.createNamespace(lab.switchNamespace);
            lab.ipIn(lab.switchNamespace, "link", "add", BRIDGE, "type", "bridge");
            lab.ipIn(lab.switchNamespace, "link", "set", BRIDGE, "up");
        } catch (RuntimeException e) {
            lab.closeQuietly(e);
            throw e;
        }
        return lab;
    }

    /** Returns this lab's unique name, the prefix of all its namespaces. */
    public String id() {
        return id;
    }

    /** Returns the directory for this lab's config files, scripts and logs; deleted on close. */
    public Path workDirectory() {
        return workDirectory;
    }

    /** Returns the namespaces this lab has created so far, the switch first. */
    public synchronized List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    /**
     * Adds a host: a namespace {@code <id>-<role>} whose {@code eth0} is plugged into the bridge,
     * with the given addresses (each inside 198.18.0.0/15; none for a DHCP client), and the
     * interfaces up.
     *
     * @param role a short lower-case name, unique in this lab ({@code node}, {@code client1})
     */
    public synchronized LabHost addHost(String role, String... cidrs) {
        return addHostOnSwitch(BRIDGE, role, cidrs);
    }

    /**
     * Adds another bridge, a second link with no host yet, and returns its name ({@code br1},
     * {@code br2}, ...) for {@link #addHostOnSwitch} and {@link #plug}. The first bridge,
     * {@code br0}, is the one {@link #addHost} uses.
     */
    public synchronized String addSwitch() {
        requireOpen();
        String bridge = "br" + switches.size();
        ipIn(switchNamespace, "link", "add", bridge, "type", "bridge");
        ipIn(switchNamespace, "link", "set", bridge, "up");
        switches.add(bridge);
        return bridge;
    }

    /**
     * Gives an existing host one more interface, named {@code interfaceName} in its namespace and
     * plugged into {@code switchName}, with the given addresses (each inside 198.18.0.0/15), up.
     * Returns the host as seen through that interface (same namespace, other interface).
     */
    public synchronized LabHost plug(LabHost host, String switchName, String interfaceName, String... cidrs) {
        requireOpen();
        requireSwitch(switchName);
        if (!INTERFACE.matcher(interfaceName).matches()) {
            throw new IllegalArgumentException("interface name must match " + INTERFACE + ": " + interfaceName);
        }
        if (!namespaces.contains(host.namespace())) {
            throw new IllegalArgumentException("not a host of this lab: " + host);
        }
        for (String cidr : cidrs) {
            LabAddresses.requireCidr(cidr);
        }
        return attach(host.namespace(), switchName, interfaceName, cidrs);
    }

    /**
     * Adds a host like {@link #addHost}, but with its {@code eth0} plugged into {@code switchName},
     * a bridge from {@link #addSwitch()} (or {@code br0}).
     */
    public synchronized LabHost addHostOnSwitch(String switchName, String role, String... cidrs) {
        requireOpen();
        requireSwitch(switchName);
        if (!ROLE.matcher(role).matches()) {
            throw new IllegalArgumentException("role must match " + ROLE + ": " + role);
        }
        for (String cidr : cidrs) {
            LabAddresses.requireCidr(cidr);
        }
        String namespace = id + "-" + role;
        if (namespaces.contains(namespace)) {
            throw new IllegalArgumentException("this lab already has a host " + role);
        }
        createNamespace(namespace);
        return attach(namespace, switchName, HOST_INTERFACE, cidrs);
    }

    private LabHost attach(String namespace, String switchName, String interfaceName, String... cidrs) {
        String port = "p" + nextPort++;
        ipIn(switchNamespace, "link", "add", port, "type", "veth", "peer", "name", interfaceName, "netns", namespace);
        ipIn(switchNamespace, "link", "set", port, "master", switchName);
        ipIn(switchNamespace, "link", "set", port, "up");
        LabHost host = new LabHost(namespace, interfaceName, ip);
        for (String cidr : cidrs) {
            host.addAddress(cidr);
        }
        ipIn(namespace, "link", "set", interfaceName, "up");
        return host;
    }

    private void requireSwitch(String switchName) {
        if (!switches.contains(switchName)) {
            throw new IllegalArgumentException("this lab has no switch " + switchName + ", only " + switches);
        }
    }

    /**
     * Starts a long-running program inside {@code host}'s namespace, its output captured in
     * {@code <name>.log} in the work directory. The lab stops it on close if it is still running.
     *
     * @param name a short unique name for messages and the log file
     */
    public synchronized LabProcess start(String name, LabHost host, List<String> argv) {
        requireOpen();
        if (!processNames.add(name)) {
            throw new IllegalArgumentException("this lab already started a process named " + name);
        }
        Path log = workDirectory.resolve(name + ".log");
        List<String> command = host.inNamespace(argv);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        LabProcess labProcess = new LabProcess(name, command, process, log);
        processes.add(labProcess);
        return labProcess;
    }

    /** Returns the output of every process this lab started, for failure messages. */
    public synchronized String describeProcesses() {
        StringBuilder description = new StringBuilder();
        for (LabProcess process : processes) {
            description.append(process.describe()).append(System.lineSeparator());
        }
        return description.toString();
    }

    /**
     * Tears the lab down: stops its processes by PID, kills by PID whatever is still running inside
     * its namespaces (for example a client that forked into the background), deletes the namespaces
     * and the work directory. Idempotent. Every step is attempted even if an earlier one fails; the
     * first failure is thrown at the end, the others attached to it.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        List<RuntimeException> failures = new ArrayList<>();
        for (int i = processes.size() - 1; i >= 0; i--) {
            LabProcess process = processes.get(i);
            attempt(failures, () -> {
                if (process.stop(STOP_GRACE).isEmpty()) {
                    throw new IllegalStateException("could not stop " + process.name() + " (pid " + process.pid() + ")");
                }
            });
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            String namespace = namespaces.get(i);
            attempt(failures, () -> killLeftovers(namespace));
            attempt(failures, () -> Command.check(ip, "netns", "delete", namespace));
        }
        attempt(failures, this::deleteWorkDirectory);
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private void closeQuietly(RuntimeException cause) {
        try {
            close();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static void closeAllOpen() {
        for (NetworkLab lab : List.copyOf(OPEN)) {
            try {
                lab.close();
            } catch (RuntimeException e) {
                System.err.println("cleanup of network lab " + lab.id + " failed: " + e.getMessage());
            }
        }
    }

    private void createNamespace(String namespace) {
        Command.check(ip, "netns", "add", namespace);
        namespaces.add(namespace);
        ipIn(namespace, "link", "set", "lo", "up");
    }

    private void ipIn(String namespace, String... arguments) {
        List<String> argv = new ArrayList<>(List.of(ip, "-n", namespace));
        argv.addAll(List.of(arguments));
        Command.run(Command.DEFAULT_TIMEOUT, argv).orThrow();
    }

    /**
     * Only processes started by this lab (or their children) can live in its namespaces, whose
     * names no one else uses; killing them by PID is the backstop for programs that daemonize.
     */
    private void killLeftovers(String namespace) {
        Command.Result pids = Command.run(ip, "netns", "pids", namespace);
        if (!pids.succeeded()) {
            return;
        }
        List<String> leftovers = pids.output().lines().map(String::strip).filter(line -> line.matches("\\d+")).toList();
        if (leftovers.isEmpty()) {
            return;
        }
        System.err.println("network lab " + id + ": killing leftover processes " + leftovers + " in " + namespace);
        List<String> kill = new ArrayList<>(List.of(Tools.require("kill"), "-s", "KILL"));
        kill.addAll(leftovers);
        Command.run(Command.DEFAULT_TIMEOUT, kill);
    }

    private void deleteWorkDirectory() {
        if (!Files.exists(workDirectory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(workDirectory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + workDirectory, e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("network lab " + id + " is closed");
        }
    }

    private static void attempt(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
