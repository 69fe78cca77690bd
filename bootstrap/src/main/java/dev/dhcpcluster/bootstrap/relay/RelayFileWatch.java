package dev.dhcpcluster.bootstrap.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reloads a relay when its config file changes: polls the file's modification time and size every
 * {@code interval} and calls {@link RelayRuntime#reload} once per change, when the file has stayed
 * the same for one interval. Polling rather than a
 * {@link java.nio.file.WatchService}: it sees a file replaced by a rename (how editors and config
 * management write) and a file behind a symbolic link the same way, at the cost of a stat a second.
 */
public final class RelayFileWatch implements AutoCloseable {

    /** How often the file is looked at when the caller does not say. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private record Stamp(long modified, long size) {
    }

    private final Path file;
    private final RelayRuntime relay;
    private final ScheduledExecutorService poller;
    private Optional<Stamp> last;
    private Optional<Stamp> pending = Optional.empty();

    private RelayFileWatch(Path file, RelayRuntime relay) {
        this.file = file;
        this.relay = relay;
        this.last = stamp(file);
        this.poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "dhcpcluster-relay-watch");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts watching {@code file} for {@code relay}. */
    public static RelayFileWatch start(Path file, RelayRuntime relay, Duration interval) {
        Objects.requireNonNull(interval, "interval");
        RelayFileWatch watch = new RelayFileWatch(Objects.requireNonNull(file, "file"), Objects.requireNonNull(relay, "relay"));
        watch.poller.scheduleWithFixedDelay(watch::look, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return watch;
    }

    private void look() {
        Optional<Stamp> now = stamp(file);
        // A file gone for a moment (replaced by a rename) is not a change; its return is one if it differs.
        if (now.isEmpty() || now.equals(last)) {
            pending = Optional.empty();
            return;
        }
        // A file written in place is empty or half written for a moment: it is read once it has
        // looked the same for a whole interval, so that a save is one reload, not a refused one first.
        if (now.equals(pending)) {
            last = now;
            pending = Optional.empty();
            relay.reload();
        } else {
            pending = now;
        }
    }

    private static Optional<Stamp> stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(new Stamp(attributes.lastModifiedTime().toMillis(), attributes.size()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
