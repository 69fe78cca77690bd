package dev.dhcpcluster.adapter.pcap;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.dhcpcluster.testsupport.Prerequisites;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces a test creates and deletes, and the means to act inside them: run a program
 * ({@code ip netns exec}), or run Java code on a thread that has entered the namespace, so that
 * the sockets and captures it opens belong to that namespace for good.
 *
 * <p>Names carry this JVM's PID and a random suffix, so parallel runs never clash. {@link #close}
 * stops the processes the lab started, by PID, and deletes its namespaces (which removes their
 * veth pairs).
 */
final class Lab implements AutoCloseable {

    private static final int CLONE_NEWNET = 0x4000_0000;
    private static final int O_RDONLY = 0;

    /** The two C library calls that move a thread into a network namespace. */
    interface LibC extends Library {
        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private final String prefix;
    private final String ip;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    Lab() {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        this.prefix = "dcpcap-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
        this.ip = findProgram("ip").orElseThrow(() -> new IllegalStateException("'ip' is not installed")).toString();
    }

    /** Creates a namespace with its loopback up; returns its full name. */
    String namespace(String role) {
        String name = prefix + "-" + role;
        run(ip, "netns", "add", name);
        namespaces.add(name);
        ipIn(name, "link", "set", "lo", "up");
        return name;
    }

    /** Runs {@code ip args...} inside {@code namespace}. */
    void ipIn(String namespace, String... args) {
        List<String> command = new ArrayList<>(List.of(ip, "-n", namespace));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    /**
     * Connects {@code leftNamespace} and {@code rightNamespace} by a veth pair, named
     * {@code leftName} and {@code rightName} on each side, both up.
     */
    void veth(String leftNamespace, String leftName, String rightNamespace, String rightName) {
        String temporary = "v" + Integer.toHexString(new SecureRandom().nextInt(1 << 24));
        run(ip, "link", "add", temporary + "a", "type", "veth", "peer", "name", temporary + "b");
        run(ip, "link", "set", temporary + "a", "netns", leftNamespace, "name", leftName);
        run(ip, "link", "set", temporary + "b", "netns", rightNamespace, "name", rightName);
        ipIn(leftNamespace, "link", "set", leftName, "up");
        ipIn(rightNamespace, "link", "set", rightName, "up");
    }

    /** Starts {@code command} inside {@code namespace}; the lab stops it at close. */
    Process start(String namespace, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of(ip, "netns", "exec", namespace));
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        processes.add(process);
        return process;
    }

    /**
     * Runs {@code action} on a new thread that has entered {@code namespace}, and returns its
     * result. Sockets and captures opened there stay in that namespace whatever thread uses
     * them later; the thread itself ends with the action.
     */
    <T> T inside(String namespace, Callable<T> action) throws Exception {
        FutureTask<T> task = new FutureTask<>(() -> {
            LibC libc = Native.load("c", LibC.class);
            int fd = libc.open("/var/run/netns/" + namespace, O_RDONLY);
            if (fd < 0) {
                throw new IOException("cannot open network namespace " + namespace);
            }
            try {
                if (libc.setns(fd, CLONE_NEWNET) != 0) {
                    throw new IOException("cannot enter network namespace " + namespace + " (errno "
                            + Native.getLastError() + ")");
                }
            } finally {
                libc.close(fd);
            }
            return action.call();
        });
        Thread thread = new Thread(task, "in-" + namespace);
        thread.start();
        try {
            return task.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The Ethernet address of {@code device} in {@code namespace}, as {@code ip link} shows it. */
    String macOf(String namespace, String device) {
        String output = run(ip, "-n", namespace, "-o", "link", "show", device);
        int at = output.indexOf("link/ether ");
        if (at < 0) {
            throw new IllegalStateException("no Ethernet address in: " + output);
        }
        return output.substring(at + "link/ether ".length(), at + "link/ether ".length() + 17);
    }

    /** Stops the lab's processes by PID, then deletes its namespaces. */
    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String namespace : namespaces) {
            runQuietly(ip, "netns", "delete", namespace);
        }
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }

    private static void runQuietly(String... command) {
        try {
            run(command);
        } catch (RuntimeException e) {
            System.err.println("cleanup: " + e.getMessage());
        }
    }

    /** The absolute path of the executable {@code name}, looking in the sbin directories too. */
    static Optional<Path> findProgram(String name) {
        return Prerequisites.findProgram(name);
    }
}
