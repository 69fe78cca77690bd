package dev.dhcpcluster.bootstrap.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dhcpcluster.bootstrap.admin.AdminClient;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One node of the demo's cluster: a {@code dhcpcluster run} process of its own, on a loopback
 * address of its own ({@code 127.0.0.11} for node 1), with its peer and admin ports chosen free
 * before it starts, its output and log in files of the demo's directory, and its status read from
 * its admin endpoint as an operator reads it.
 */
final class DemoNode {

    private final int id;
    private final Ipv4Address address;
    private final int peerPort;
    private final int adminPort;
    private final Path directory;
    private final AdminClient admin;
    private Process process;
    private int dhcpPort;

    private DemoNode(int id, Ipv4Address address, int peerPort, int adminPort, Path directory) {
        this.id = id;
        this.address = address;
        this.peerPort = peerPort;
        this.adminPort = adminPort;
        this.directory = directory;
        this.admin = new AdminClient(address + ":" + adminPort, Optional.empty());
    }

    /**
     * Node {@code id} on {@code 127.0.0.(10 + id)}, with a peer port and an admin port free there
     * now, its files in {@code directory}.
     *
     * @throws IOException if the address cannot be bound (a system whose loopback is 127.0.0.1 only)
     */
    static DemoNode plan(int id, Path directory) throws IOException {
        Ipv4Address address = Ipv4Address.parse("127.0.0." + (10 + id));
        return new DemoNode(id, address, freePort(address), freePort(address), directory);
    }

    private static int freePort(Ipv4Address address) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(address.toString()), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IOException("cannot bind " + address + " for a demo node: " + e.getMessage(), e);
        }
    }

    int id() {
        return id;
    }

    Ipv4Address address() {
        return address;
    }

    /** Where its peers connect: {@code 127.0.0.11:PORT}. */
    String peerEndpoint() {
        return address + ":" + peerPort;
    }

    /** Its admin endpoint: {@code 127.0.0.11:PORT}. */
    String adminEndpoint() {
        return address + ":" + adminPort;
    }

    /** Its config file. */
    Path configFile() {
        return directory.resolve("node" + id + ".json");
    }

    /** Its data directory (lease store, election vote, assignment). */
    Path dataDirectory() {
        return directory.resolve("node" + id);
    }

    private Path logFile() {
        return directory.resolve("node" + id + ".log");
    }

    private Path outFile() {
        return directory.resolve("node" + id + ".out");
    }

    /** Starts {@code java -cp CLASSPATH Main run --config FILE}, output and log to files. */
    void start(List<String> javaCommand) throws IOException {
        List<String> command = new ArrayList<>(javaCommand);
        command.addAll(List.of("run", "--config", configFile().toString()));
        process = new ProcessBuilder(command)
                .redirectOutput(outFile().toFile())
                .redirectError(logFile().toFile())
                .start();
    }

    /** Its process id; -1 before it started. */
    long pid() {
        return process == null ? -1 : process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Its exit status, if it has exited. */
    Optional<Integer> exitValue() {
        return process == null || process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** SIGKILL, by its process id, and waits until it is gone. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, by its process id: a clean stop, the node finishes its writes and closes its store. */
    void terminate() {
        if (process != null) {
            process.destroy();
        }
    }

    /**
     * Waits up to {@code seconds} for it to exit, then SIGKILLs it.
     *
     * @return true if it exited by itself
     */
    boolean awaitExit(long seconds) throws InterruptedException {
        if (process == null || process.waitFor(seconds, TimeUnit.SECONDS)) {
            return true;
        }
        kill();
        return false;
    }

    /** Its {@code /status}, or empty if it does not answer (yet, or any more). */
    Optional<JsonNode> status() throws InterruptedException {
        try {
            AdminClient.Response response = admin.get("/status");
            return response.ok() ? Optional.of(response.json()) : Optional.empty();
        } catch (AdminClient.NodeUnreachable | JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /**
     * Every lease it holds, from {@code /leases} page by page: address to {@code "STATE
     * hardware-address"}; empty if it does not answer.
     */
    Optional<Map<Ipv4Address, String>> leases() throws InterruptedException {
        Map<Ipv4Address, String> leases = new HashMap<>();
        String after = "";
        try {
            while (true) {
                AdminClient.Response response = admin.get("/leases?limit=1000" + after);
                if (!response.ok()) {
                    return Optional.empty();
                }
                JsonNode page = response.json();
                for (JsonNode lease : page.path("leases")) {
                    leases.put(Ipv4Address.parse(lease.path("address").asText()),
                            lease.path("state").asText() + " " + lease.path("hardware-address").asText());
                }
                if (!page.path("next").isTextual()) {
                    return Optional.of(leases);
                }
                after = "&after=" + page.path("next").asText();
            }
        } catch (AdminClient.NodeUnreachable | JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Notes the DHCP port its status reports (the system chose it). */
    void dhcpPort(int port) {
        this.dhcpPort = port;
    }

    /** Where it receives DHCP: its address and the port it reported. */
    InetSocketAddress dhcpEndpoint() {
        return new InetSocketAddress(address.toString(), dhcpPort);
    }

    /** The last {@code lines} lines of its log, for a failure's diagnosis. */
    List<String> logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(cannot read " + logFile() + ": " + e.getMessage() + ")");
        }
    }

    @Override
    public String toString() {
        return "node " + id;
    }
}
