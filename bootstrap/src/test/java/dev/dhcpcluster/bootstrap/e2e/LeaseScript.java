package dev.dhcpcluster.bootstrap.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A client script of the tests' own, given to the DHCP client instead of the system's (which would
 * rewrite the host's /etc/resolv.conf). It appends one {@link LeaseEvent} line per call to an event
 * file and, for clients that leave it to their script, configures only the leased address on the
 * client's interface, so that a renewal, which the client sends by unicast from that address, works.
 */
public final class LeaseScript {

    private static final String RECORD = "printf 'reason=%s\\tip=%s\\tmask=%s\\trouters=%s\\tdns=%s\\tdomain=%s\\told=%s\\tsid=%s\\n' ";

    private final Path script;
    private final Path events;

    private LeaseScript(Path script, Path events) {
        this.script = script;
        this.events = events;
    }

    /** Writes a script for ISC dhclient (reasons and {@code new_*} variables in the environment). */
    public static LeaseScript forDhclient(Path directory) {
        Path events = directory.resolve("events.log");
        String ip = Tools.require("ip");
        String body = String.join("\n",
                "#!/bin/sh",
                "# Records what dhclient learned; configures only the leased address, nothing else on the host.",
                RECORD + "\"$reason\" \"$new_ip_address\" \"$new_subnet_mask\" \"$new_routers\" \\",
                "  \"$new_domain_name_servers\" \"$new_domain_name\" \"$old_ip_address\" \"$new_dhcp_server_identifier\" >> '" + events + "'",
                "case \"$reason\" in",
                "  BOUND|RENEW|REBIND|REBOOT)",
                "    if [ -n \"$old_ip_address\" ] && [ \"$old_ip_address\" != \"$new_ip_address\" ]; then",
                "      " + ip + " -4 addr del \"$old_ip_address/$old_subnet_mask\" dev \"$interface\" 2>/dev/null",
                "    fi",
                "    " + ip + " -4 addr replace \"$new_ip_address/$new_subnet_mask\" dev \"$interface\" ;;",
                "  EXPIRE|FAIL|RELEASE|STOP)",
                "    if [ -n \"$old_ip_address\" ]; then",
                "      " + ip + " -4 addr del \"$old_ip_address/$old_subnet_mask\" dev \"$interface\" 2>/dev/null",
                "    fi ;;",
                "esac",
                "exit 0",
                "");
        return write(directory, body, events);
    }

    /** Writes a script for busybox udhcpc (reason in {@code $1}, {@code $ip}, {@code $subnet}, ...). */
    public static LeaseScript forUdhcpc(Path directory) {
        Path events = directory.resolve("events.log");
        String ip = Tools.require("ip");
        String body = String.join("\n",
                "#!/bin/sh",
                "# Configures only the leased address, nothing else on the host, then records what udhcpc",
                "# learned: a test that sees the event finds the address already on the interface.",
                "case \"$1\" in",
                "  bound)",
                "    " + ip + " -4 addr flush dev \"$interface\"",
                "    " + ip + " -4 addr add \"$ip/$subnet\" dev \"$interface\" ;;",
                "  renew)",
                "    " + ip + " -4 addr replace \"$ip/$subnet\" dev \"$interface\" ;;",
                "  deconfig)",
                "    " + ip + " -4 addr flush dev \"$interface\" ;;",
                "esac",
                RECORD + "\"$1\" \"$ip\" \"$subnet\" \"$router\" \"$dns\" \"$domain\" \"\" \"$serverid\" >> '" + events + "'",
                "exit 0",
                "");
        return write(directory, body, events);
    }

    /**
     * Writes a hook script for dhcpcd (same variables as dhclient). It only records: dhcpcd
     * configures the interface itself.
     */
    public static LeaseScript forDhcpcd(Path directory) {
        Path events = directory.resolve("events.log");
        String body = String.join("\n",
                "#!/bin/sh",
                "# Records what dhcpcd learned; dhcpcd itself configures the interface, this changes nothing.",
                RECORD + "\"$reason\" \"$new_ip_address\" \"$new_subnet_mask\" \"$new_routers\" \\",
                "  \"$new_domain_name_servers\" \"$new_domain_name\" \"$old_ip_address\" \"$new_dhcp_server_identifier\" >> '" + events + "'",
                "exit 0",
                "");
        return write(directory, body, events);
    }

    private static LeaseScript write(Path directory, String body, Path events) {
        Path script = directory.resolve("lease-script.sh");
        try {
            Files.createDirectories(directory);
            Files.writeString(script, body, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + script, e);
        }
        return new LeaseScript(script, events);
    }

    /** Returns the script's path, to pass to the client. */
    public Path path() {
        return script;
    }

    /** Returns every event recorded so far, oldest first. */
    public List<LeaseEvent> events() {
        try {
            if (!Files.exists(events)) {
                return List.of();
            }
            return Files.readAllLines(events, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank())
                    .map(LeaseEvent::parse)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits (bounded) for an event after the first {@code skip} events that satisfies
     * {@code condition}, and returns it; fails with the recorded events and {@code evidence}.
     */
    public LeaseEvent await(String description, int skip, Predicate<LeaseEvent> condition, Duration timeout,
            Supplier<String> evidence) {
        return Poll.until(timeout, description,
                () -> events().stream().skip(skip).filter(condition).findFirst(),
                () -> "events so far: " + events() + System.lineSeparator() + evidence.get());
    }
}
