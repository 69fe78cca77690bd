package dev.dhcpcluster.bootstrap.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentest4j.AssertionFailedError;

/**
 * A long-running program a {@link NetworkLab} started (a node, a DHCP client, a load generator),
 * with its stdout and stderr captured in one log file.
 *
 * <p>It is known and stopped by its own PID only: {@code ip netns exec} replaces itself with the
 * program, so the PID Java sees is the program's.
 */
public final class LabProcess {

    private final String name;
    private final List<String> argv;
    private final Process process;
    private final Path log;

    LabProcess(String name, List<String> argv, Process process, Path log) {
        this.name = name;
        this.argv = List.copyOf(argv);
        this.process = process;
        this.log = log;
    }

    /** Returns the short name this process was started under (used in file names and messages). */
    public String name() {
        return name;
    }

    /** Returns the operating system's process id. */
    public long pid() {
        return process.pid();
    }

    /** Returns whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Returns everything the process has printed so far (stdout and stderr interleaved). */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the output with a header naming the command, for failure messages. */
    public String describe() {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return "--- " + name + " (pid " + pid() + ", " + state + "): " + String.join(" ", argv)
                + System.lineSeparator() + output() + "--- end of " + name;
    }

    /**
     * Waits until the output contains a match of {@code pattern} and returns the match. Fails early,
     * with the output, if the process exits without printing it.
     */
    public Matcher awaitOutput(Pattern pattern, Duration timeout) {
        return Poll.until(timeout, name + " to print /" + pattern + "/", () -> {
            Matcher matcher = pattern.matcher(output());
            if (matcher.find()) {
                return Optional.of(matcher);
            }
            if (!process.isAlive()) {
                Matcher last = pattern.matcher(output());
                if (last.find()) {
                    return Optional.of(last);
                }
                throw new AssertionFailedError(name + " exited before printing /" + pattern + "/"
                        + System.lineSeparator() + describe());
            }
            return Optional.empty();
        }, this::describe);
    }

    /** Waits for the process to exit and returns its exit code; fails if it is still running. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionFailedError(name + " did not exit within " + timeout.toSeconds() + " s"
                        + System.lineSeparator() + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        return process.exitValue();
    }

    /** Sends {@code signal} (for example {@code USR1}) to this process by its PID. */
    public void signal(String signal) {
        if (!process.isAlive()) {
            throw new AssertionFailedError("cannot send SIG" + signal + ": " + name + " has exited"
                    + System.lineSeparator() + describe());
        }
        Command.check(Tools.require("kill"), "-s", signal, Long.toString(pid()));
    }

    /**
     * Stops the process: SIGTERM, then SIGKILL if it is still running after {@code grace}.
     *
     * @return the exit code, or empty if even SIGKILL did not end it within a few seconds
     */
    public OptionalInt stop(Duration grace) {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }
}
