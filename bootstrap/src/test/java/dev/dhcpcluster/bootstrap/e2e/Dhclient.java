package dev.dhcpcluster.bootstrap.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ISC dhclient on a lab host, isolated from the machine's own DHCP client state: its own config,
 * script, lease file and pid file, all in the lab's work directory.
 */
public final class Dhclient extends RealClient {

    private final Path config;
    private final Path leases;
    private final Path pidFile;

    /** Prepares (does not start) a dhclient named {@code name} for {@code host}'s interface. */
    public Dhclient(NetworkLab lab, LabHost host, String name) {
        super(lab, host, name, LeaseScript::forDhclient);
        this.config = writeConfig("dhclient.conf",
                "timeout 30;",
                "initial-interval 1;",
                "request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers;");
        this.leases = directory().resolve("dhclient.leases");
        this.pidFile = directory().resolve("dhclient.pid");
    }

    /**
     * Runs dhclient in the foreground ({@code -d}, so the PID the lab knows is dhclient's own),
     * trying once ({@code -1}): it exits with an error if no lease comes within its timeout, and
     * otherwise stays to renew the lease.
     */
    @Override
    protected List<String> command() {
        return command("-d", "-1");
    }

    /**
     * Runs {@code dhclient -r} with the same files: it stops the running dhclient (found through the
     * pid file), sends DHCPRELEASE to the server and calls the script with {@code RELEASE}.
     */
    public Command.Result release(Duration timeout) {
        return host().run(timeout, command("-r").toArray(String[]::new));
    }

    /**
     * Waits until dhclient has saved a lease of {@code address} in its lease file. dhclient runs
     * its script (which the test sees as a BOUND event) before it writes the lease file, so a
     * client stopped right after the event may restart, or release, without knowing its lease.
     */
    public void awaitLeaseSaved(String address, Duration timeout) {
        String saved = "fixed-address " + address + ";";
        Poll.until(timeout, "dhclient to save its lease of " + address + " in " + leases,
                () -> leaseFileText().contains(saved) ? Optional.of(true) : Optional.empty(), this::leaseFileText);
    }

    private String leaseFileText() {
        try {
            return Files.exists(leases) ? Files.readString(leases) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + leases, e);
        }
    }

    private List<String> command(String... mode) {
        List<String> argv = new ArrayList<>(List.of(Tools.require("dhclient")));
        argv.addAll(List.of(mode));
        argv.addAll(List.of("-v", "-cf", config.toString(), "-sf", script().path().toString(),
                "-lf", leases.toString(), "-pf", pidFile.toString(), host().interfaceName()));
        return argv;
    }
}
