package dev.dhcpcluster.bootstrap.e2e;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a short-lived external command to completion within a time bound and captures its output.
 *
 * <p>Long-running programs (nodes, DHCP clients) are {@link LabProcess}es instead; this class is for
 * the {@code ip ...} calls that set up and tear down a lab, which must never hang a test run.
 */
public final class Command {

    /** The bound for a setup or teardown command; generous, because a loaded CI machine is slow. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Command() {
    }

    /** The outcome of a finished command. */
    public record Result(List<String> argv, int exitCode, String output) {

        /** Returns whether the command exited with status 0. */
        public boolean succeeded() {
            return exitCode == 0;
        }

        /** Returns this result if the command succeeded, else throws with its output. */
        public Result orThrow() {
            if (!succeeded()) {
                throw new IllegalStateException(
                        "command failed with exit code " + exitCode + ": " + String.join(" ", argv)
                                + System.lineSeparator() + output);
            }
            return this;
        }
    }

    /** Runs {@code argv} with the default bound and fails unless it exits with status 0. */
    public static Result check(String... argv) {
        return run(DEFAULT_TIMEOUT, List.of(argv)).orThrow();
    }

    /** Runs {@code argv} with the default bound; the caller decides what a non-zero exit means. */
    public static Result run(String... argv) {
        return run(DEFAULT_TIMEOUT, List.of(argv));
    }

    /**
     * Runs {@code argv}, merging stderr into stdout, and waits at most {@code timeout}. A command that
     * overruns is killed and reported as a failure with whatever it printed so far.
     */
    public static Result run(Duration timeout, List<String> argv) {
        Process process;
        try {
            process = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", argv), e);
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("command did not finish within " + timeout + ": "
                        + String.join(" ", argv) + System.lineSeparator() + output.getNow(""));
            }
            return new Result(List.copyOf(argv), process.exitValue(), output.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", argv), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the output of " + String.join(" ", argv), e);
        }
    }

    private static String readAll(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
