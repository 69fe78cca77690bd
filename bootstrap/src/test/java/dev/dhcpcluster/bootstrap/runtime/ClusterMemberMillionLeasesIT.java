package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dhcpcluster.bootstrap.admin.AdminJson;
import dev.dhcpcluster.bootstrap.e2e.Poll;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster member from the shipped jar, in a 256 MB heap, on a store of a million leases: besides
 * the DHCP server's table, a member keeps its replica of every lease (what its replication checks
 * each change against, and what it serves a peer that catches up), so it holds each lease twice.
 * It must load them all, come up, and show them, without running out of memory. It is member 1
 * of a configured cluster of three whose peers are not started: a member loads its store and
 * serves its admin endpoint alone; it only needs its peers to lead, be granted addresses and
 * commit, which add nothing per stored lease. Everything runs on loopback.
 */
class ClusterMemberMillionLeasesIT {

    private static final Path JAR = Path.of("target", "dhcpcluster.jar");
    private static final Ipv4Address FIRST = Ipv4Address.parse("127.64.0.1");
    /** How long the member may take to load: far above what it takes, so that only a broken start fails. */
    private static final Duration LOADED_BOUND = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern ADMIN = Pattern.compile("admin endpoint on http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path dir;

    @Test
    @DisplayName("a cluster member in -Xmx256m loads a million stored leases, shows them, and does not run out of memory")
    void memberHoldsAMillionLeasesInA256MegabyteHeap() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "the package phase builds " + JAR.toAbsolutePath());
        Path data = dir.resolve("data");
        long generated = System.nanoTime();
        MillionLeasesIT.generateStore(data.resolve("leases.db"));
        System.out.printf("ClusterMemberMillionLeasesIT: generated %,d leases in %.1f s%n", MillionLeasesIT.LEASES,
                (System.nanoTime() - generated) / 1e9);
        Process key = MillionLeasesIT.java(List.of("-jar", JAR.toString(), "cluster-key",
                data.resolve("cluster.key").toString()), dir.resolve("key-out.txt"), dir.resolve("key-err.txt"));
        assertTrue(key.waitFor(30, TimeUnit.SECONDS) && key.exitValue() == 0,
                MillionLeasesIT.read(dir.resolve("key-err.txt")));

        int serverPort = MillionLeasesIT.freePort("127.0.0.1");
        int relayPort = MillionLeasesIT.freePort("127.0.0.2");
        Path config = dir.resolve("node1.json");
        // Peers on ports nothing listens on: this member dials them, in vain, the whole time.
        Files.writeString(config, """
                {"node": {"id": 1, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": %d, "relay-port": %d},
                 "admin": {"listen": "127.0.0.1:0"},
                 "cluster": {"name": "million", "listen": "127.0.0.1:0", "secret-file": "cluster.key",
                   "peers": [{"id": 2, "address": "127.0.0.1:9"}, {"id": 3, "address": "127.0.0.1:19"}]},
                 "Dhcp4": {"valid-lifetime": 86400,
                   "subnet4": [{"subnet": "127.64.0.0/11", "pools": [{"pool": "127.64.0.1 - 127.95.255.254"}],
                                "relay": {"ip-addresses": ["127.0.0.2"]}}]}}
                """.formatted(data, serverPort, relayPort));
        Path out = dir.resolve("node-out.txt");
        Path err = dir.resolve("node-err.txt");
        long launched = System.nanoTime();
        Process node = MillionLeasesIT.java(List.of("-Xmx256m", "-jar", JAR.toString(), "run", "--config",
                config.toString()), out, err);
        try {
            int adminPort = Poll.until(LOADED_BOUND, "the member's admin endpoint, once its leases are loaded", () -> {
                if (!node.isAlive()) {
                    throw new AssertionError("the member exited with " + node.exitValue() + ":\n"
                            + MillionLeasesIT.read(out) + "\n" + MillionLeasesIT.read(err));
                }
                Matcher admin = ADMIN.matcher(MillionLeasesIT.read(err));
                return admin.find() ? Optional.of(Integer.parseInt(admin.group(1))) : Optional.empty();
            }, () -> "stdout:\n" + MillionLeasesIT.read(out) + "\nstderr:\n" + MillionLeasesIT.read(err));
            System.out.printf("ClusterMemberMillionLeasesIT: the member was up %.2f s after its JVM was started"
                    + " (-Xmx256m, %,d leases)%n", (System.nanoTime() - launched) / 1e9, MillionLeasesIT.LEASES);
            String log = MillionLeasesIT.read(err);
            assertTrue(log.contains("loaded 1,000,000 leases") || log.contains("loaded 1000000 leases"), log);

            JsonNode status = get(adminPort, "/status");
            assertEquals("cluster", status.path("cluster").path("mode").asText(), status.toString());
            assertEquals(3, status.path("cluster").path("members").size(), status.toString());
            assertEquals(MillionLeasesIT.LEASES, status.path("pools").path(0).path("bound").asLong(),
                    "every stored lease is bound in the member's pool: " + status.path("pools"));

            // A stored lease, the 12,346th, as the store has it: its client's hardware address and host name.
            int known = 12_344;
            JsonNode page = get(adminPort, "/leases?address=" + FIRST.plus(known));
            JsonNode lease = page.path("leases").path(0);
            assertEquals(FIRST.plus(known).toString(), lease.path("address").asText(), page.toString());
            assertEquals("BOUND", lease.path("state").asText(), page.toString());
            assertEquals("02:00:00:00:30:39", lease.path("hardware-address").asText(), page.toString());
            assertEquals("host-" + known, lease.path("hostname").asText(), page.toString());
            // And the last page ends at the last stored address.
            JsonNode last = get(adminPort, "/leases?limit=2&after=" + FIRST.plus(MillionLeasesIT.LEASES - 3));
            assertEquals(List.of(FIRST.plus(MillionLeasesIT.LEASES - 2).toString(),
                    FIRST.plus(MillionLeasesIT.LEASES - 1).toString()),
                    List.of(last.path("leases").path(0).path("address").asText(),
                            last.path("leases").path(1).path("address").asText()), last.toString());

            assertTrue(node.isAlive(), "the member still runs");
        } finally {
            node.destroy();
            assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the member stops on SIGTERM");
        }
        String all = MillionLeasesIT.read(out) + MillionLeasesIT.read(err);
        assertFalse(all.contains("OutOfMemoryError"), "the member ran out of memory:\n" + all);
    }

    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(ADMIN_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return AdminJson.MAPPER.readTree(response.body());
    }
}
