package dev.dhcpcluster.bootstrap.admin;

import dev.dhcpcluster.bootstrap.StoreFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dhcpcluster.bootstrap.cli.DhcpclusterCommand;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.runtime.ConfigSource;
import dev.dhcpcluster.bootstrap.runtime.NodeComponent;
import dev.dhcpcluster.bootstrap.runtime.NodeRuntime;
import dev.dhcpcluster.bootstrap.runtime.NodeStartException;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.HostNameSent;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The routes of the admin endpoint, over real HTTP, against a real node on loopback. */
class AdminEndpointTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A host name a client chose: a newline, a space and an escape sequence, forging a log line. */
    private static final String HOSTLE = "evil\nINFO fake: node stopped \u001b[2J";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private NodeRuntime node;
    private NodeComponent component;
    private NodeConfig config;

    @AfterEach
    void stop() {
        if (node != null) {
            node.stop(TIMEOUT);
        }
    }

    private NodeConfig config(String admin) throws Exception {
        Path file = dir.resolve("node.json");
        Files.writeString(file, """
                {"node": {"id": 4, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 0, "relay-port": 6768},
                 "lease-store": {"type": "sqlite"},
                 "admin": %s,
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.1.1 - 198.18.1.200"}],
                                        "relay": {"ip-addresses": ["127.0.0.2"]}},
                                       {"subnet": "198.19.0.0/24", "pools": [{"pool": "198.19.0.10 - 198.19.0.20"}],
                                        "relay": {"ip-addresses": ["127.0.0.3"]}}]}}
                """.formatted(dir.resolve("data"), admin));
        return new ConfigLoader().load(file);
    }

    private static Lease lease(String address, int mac, String hostname) {
        HardwareAddress hardware = HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, 0, (byte) mac});
        return new Lease(Ipv4Address.parse(address), ClientKey.ofHardware(hardware), hardware,
                Optional.ofNullable(hostname), LeaseState.BOUND, Instant.now().plus(1, ChronoUnit.HOURS)
                        .truncatedTo(ChronoUnit.MILLIS), new LeaseVersion(LeaseVersion.NO_EPOCH, 1, new NodeId(4)));
    }

    /** A lease whose client sent {@code sent} as its host name. */
    private static Lease lease(String address, int mac, String hostname, byte[] sent) {
        Lease lease = lease(address, mac, hostname);
        return new Lease(lease.address(), lease.clientKey(), lease.hardwareAddress(), lease.hostname(), lease.state(),
                lease.expiry(), lease.version(), Optional.of(HostNameSent.of(sent)));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes leases into the node's store file, as an earlier run of the node would have. */
    private void storeHolds(List<Lease> leases) throws Exception {
        try (LeaseStore store = StoreFiles.of(config)) {
            store.loadAll(); // opens the file
            CompletableFuture<Void> done = new CompletableFuture<>();
            store.write(leases, new WriteCompletion() {
                @Override
                public void durable() {
                    done.complete(null);
                }

                @Override
                public void failed(LeaseStoreException cause) {
                    done.completeExceptionally(cause);
                }
            });
            done.get(10, TimeUnit.SECONDS);
        }
    }

    /** Starts a node with these leases in its store. */
    private void start(List<Lease> leases) throws Exception {
        config = config("{\"listen\": \"127.0.0.1:0\"}");
        Files.createDirectories(config.dataDirectory());
        if (!leases.isEmpty()) {
            storeHolds(leases);
        }
        component = NodeComponent.of(config, ConfigSource.file(dir.resolve("node.json")));
        node = component.runtime();
        node.start(TIMEOUT);
    }

    private String token() throws Exception {
        return Files.readString(config.admin().tokenFile()).strip();
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + component.admin().port()
                + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return AdminJson.MAPPER.readTree(response.body());
    }

    private List<String> addresses(JsonNode page) {
        List<String> addresses = new ArrayList<>();
        page.path("leases").forEach(lease -> addresses.add(lease.path("address").asText()));
        return addresses;
    }

    @Test
    @DisplayName("GET /leases pages in address order and filters; the host name is raw in JSON")
    void leases() throws Exception {
        start(List.of(lease("198.19.0.12", 3, null), lease("198.18.1.7", 1, HOSTLE, utf8(HOSTLE)),
                lease("198.18.1.2", 2, "printer")));

        JsonNode first = json(send("GET", "/leases?limit=2", null));
        assertEquals(List.of("198.18.1.2", "198.18.1.7"), addresses(first));
        assertEquals("198.18.1.7", first.path("next").asText());
        JsonNode second = json(send("GET", "/leases?limit=2&after=198.18.1.7", null));
        assertEquals(List.of("198.19.0.12"), addresses(second));
        assertTrue(second.path("next").isNull());

        JsonNode evil = json(send("GET", "/leases?mac=02:00:00:00:00:01", null));
        assertEquals(List.of("198.18.1.7"), addresses(evil));
        assertEquals(HOSTLE, evil.path("leases").get(0).path("hostname").asText(), "raw, JSON escaping only");
        assertEquals(HexFormat.of().formatHex(utf8(HOSTLE)), evil.path("leases").get(0).path("hostname-sent").asText());
        assertEquals(HOSTLE, evil.path("leases").get(0).path("hostname-sent-text").asText());
        JsonNode printer = json(send("GET", "/leases?address=198.18.1.2", null)).path("leases").get(0);
        assertTrue(printer.path("hostname-sent").isNull() && printer.path("hostname-sent-text").isNull(),
                printer.toString());
        assertEquals(List.of("198.19.0.12"), addresses(json(send("GET", "/leases?subnet=198.19.0.0/24", null))));
        assertEquals(List.of("198.18.1.2"), addresses(json(send("GET", "/leases?hostname=PRINTER", null))));
        assertEquals(List.of("198.18.1.2"), addresses(json(send("GET", "/leases?address=198.18.1.2", null))));
        assertEquals(List.of("198.18.1.2"), addresses(json(send("GET", "/leases?client-id=hw:01:02:00:00:00:00:02",
                null))));

        // The CLI prints the same lease on one line, the host name escaped.
        StringWriter out = new StringWriter();
        int code = DhcpclusterCommand.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                .execute("leases", "--admin", "127.0.0.1:" + component.admin().port(), "--mac", "02:00:00:00:00:01");
        assertEquals(0, code);
        List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size(), out.toString());
        assertTrue(lines.get(1).endsWith(" evil\\nINFO\\x20fake:\\x20node\\x20stopped\\x20\\x1B[2J"), lines.get(1));
    }

    @Test
    @DisplayName("each lease names its writer, and its version as epoch.counter.writer, in JSON and on the CLI's line")
    void leasesShowTheirWriterAndVersion() throws Exception {
        // A store a cluster member once wrote: node 3 wrote this version in epoch 2.
        Lease byAPeer = lease("198.18.1.9", 9, null);
        byAPeer = new Lease(byAPeer.address(), byAPeer.clientKey(), byAPeer.hardwareAddress(), byAPeer.hostname(),
                byAPeer.state(), byAPeer.expiry(), new LeaseVersion(2, 17, new NodeId(3)));
        start(List.of(byAPeer, lease("198.18.1.2", 2, null)));

        JsonNode leases = json(send("GET", "/leases", null)).path("leases");

        assertEquals(4, leases.get(0).path("writer").asInt());
        assertEquals("0.1.4", leases.get(0).path("version").asText(), "written by node 4 alone: no epoch");
        assertEquals(3, leases.get(1).path("writer").asInt());
        assertEquals("2.17.3", leases.get(1).path("version").asText());
        assertTrue(leases.get(1).path("node").isMissingNode(), "the writer is no longer called node: " + leases.get(1));
        StringWriter out = new StringWriter();
        int code = DhcpclusterCommand.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                .execute("leases", "--admin", "127.0.0.1:" + component.admin().port(), "--address", "198.18.1.9");
        assertEquals(0, code);
        assertEquals(List.of("address state expiry hardware-address client writer version hostname",
                "198.18.1.9 BOUND " + byAPeer.expiry() + " 02:00:00:00:00:09 hw:01:02:00:00:00:00:09 3 2.17.3 -"),
                out.toString().lines().toList());
    }

    @Test
    @DisplayName("bug 3: GET /leases shows the host name a client sent exactly: a refused one, and octets that are not UTF-8")
    void leasesShowTheHostNameSent() throws Exception {
        byte[] forged = utf8("x\n2030-01-01 INFO fake");
        byte[] notUtf8 = {'p', 'c', (byte) 0xff, 0, 0x1b, '\n', (byte) 0xe9};
        start(List.of(lease("198.18.1.3", 3, null, forged), lease("198.18.1.4", 4, null, notUtf8)));

        HttpResponse<String> response = send("GET", "/leases", null);

        JsonNode leases = json(response).path("leases");
        assertTrue(leases.get(0).path("hostname").isNull(), "a refused name is not the lease's host name");
        assertEquals("780a323033302d30312d303120494e464f2066616b65", leases.get(0).path("hostname-sent").asText());
        assertEquals("x\n2030-01-01 INFO fake", leases.get(0).path("hostname-sent-text").asText());
        assertTrue(response.body().replace(" ", "").contains("\"hostname-sent-text\":\"x\\n2030-01-01INFOfake\""),
                "JSON escapes the newline, so the body has none inside the value: " + response.body());
        assertEquals("7063ff001b0ae9", leases.get(1).path("hostname-sent").asText());
        assertArrayEquals(notUtf8, HexFormat.of().parseHex(leases.get(1).path("hostname-sent").asText()));
        assertTrue(leases.get(1).path("hostname-sent-text").isNull(), "no text when the octets are not UTF-8");
        assertTrue(leases.get(1).has("hostname-sent-text"));
    }

    @Test
    @DisplayName("bad parameters get 400 naming the parameter")
    void badParameters() throws Exception {
        start(List.of());

        for (String[] bad : new String[][] {{"limit=0", "limit"}, {"limit=1001", "limit"}, {"limit=x", "limit"},
            {"mac=zz", "mac"}, {"address=198.18.1", "address"}, {"subnet=198.18.0.1/16", "subnet"},
            {"after=x", "after"}, {"colour=red", "colour"}, {"mac=02:00:00:00:00:01&mac=02:00:00:00:00:02", "mac"},
            {"client-id=xyz", "client-id"}}) {
            HttpResponse<String> response = send("GET", "/leases?" + bad[0], null);
            assertEquals(400, response.statusCode(), bad[0]);
            assertEquals(bad[1], json(response).path("parameter").asText(), response.body());
        }
        HttpResponse<String> status = send("GET", "/status?verbose=1", null);
        assertEquals(400, status.statusCode());
        assertEquals("verbose", json(status).path("parameter").asText());
        HttpResponse<String> address = send("DELETE", "/leases/not-an-address", token());
        assertEquals(400, address.statusCode());
        assertEquals("address", json(address).path("parameter").asText());
    }

    @Test
    @DisplayName("unknown paths get 404, wrong methods 405 with Allow")
    void pathsAndMethods() throws Exception {
        start(List.of());

        assertEquals(404, send("GET", "/nothing", null).statusCode());
        assertEquals(404, send("GET", "/", null).statusCode());
        HttpResponse<String> post = send("POST", "/status", null);
        assertEquals(405, post.statusCode());
        assertEquals(Optional.of("GET"), post.headers().firstValue("Allow"));
        assertEquals(405, send("GET", "/reload", null).statusCode());
        assertEquals(405, send("GET", "/leases/198.18.1.2", null).statusCode());
        assertEquals(405, send("DELETE", "/leases", null).statusCode());
    }

    @Test
    @DisplayName("state changes need the token: 401 without, 403 wrong; reads do not")
    void tokenGuardsChanges() throws Exception {
        start(List.of(lease("198.18.1.2", 2, null)));

        HttpResponse<String> none = send("DELETE", "/leases/198.18.1.2", null);
        assertEquals(401, none.statusCode());
        assertEquals(Optional.of("Bearer"), none.headers().firstValue("WWW-Authenticate"));
        assertEquals(403, send("DELETE", "/leases/198.18.1.2", "wrong").statusCode());
        assertEquals(401, send("POST", "/reload", null).statusCode());
        assertEquals(403, send("POST", "/reload", "wrong").statusCode());
        assertEquals(1, node.node().usage().bound(), "nothing removed");
        assertEquals(200, send("GET", "/status", null).statusCode());
        assertEquals(200, send("GET", "/leases", null).statusCode());
        assertEquals(200, send("GET", "/metrics", null).statusCode());
    }

    @Test
    @DisplayName("DELETE /leases/ADDRESS frees the address and the store keeps no live lease for it")
    void deleteIsDurable() throws Exception {
        start(List.of(lease("198.18.1.2", 2, null), lease("198.18.1.3", 3, null)));

        HttpResponse<String> removed = send("DELETE", "/leases/198.18.1.2", token());
        assertEquals(200, removed.statusCode(), removed.body());
        assertEquals("EXPIRED", json(removed).path("lease").path("state").asText());
        assertEquals(1, node.node().usage().bound());
        HttpResponse<String> again = send("DELETE", "/leases/198.18.1.2", token());
        assertEquals(404, again.statusCode(), "no lease holds it any more");
        node.stop(TIMEOUT);
        node = null;

        try (LeaseStore store = StoreFiles.of(config)) {
            Lease stored = store.loadAll().stream().filter(lease -> lease.address().equals(Ipv4Address.parse("198.18.1.2")))
                    .findFirst().orElseThrow();
            assertFalse(stored.holdsAddressAt(Instant.now()), stored.toString());
            assertEquals(LeaseState.EXPIRED, stored.state());
        }
    }

    @Test
    @DisplayName("POST /reload applies a valid file (200, with its changes) and refuses a broken one (422, naming the field)")
    void reloadRoute() throws Exception {
        start(List.of());
        Path file = dir.resolve("node.json");
        String original = Files.readString(file);
        Files.writeString(file, original.replace("\"relay\": {\"ip-addresses\": [\"127.0.0.2\"]}",
                "\"relay\": {\"ip-addresses\": [\"127.0.0.2\"]}, "
                        + "\"option-data\": [{\"name\": \"domain-name-servers\", \"data\": \"198.18.0.53\"}]"));

        HttpResponse<String> applied = send("POST", "/reload", token());

        assertEquals(200, applied.statusCode(), applied.body());
        assertTrue(json(applied).path("applied").asBoolean(), applied.body());
        assertTrue(json(applied).path("changes").toString().contains("domain-name-servers"), applied.body());

        Files.writeString(file, original.replace("198.18.1.1 - 198.18.1.200", "198.18.1.1 - nowhere"));
        HttpResponse<String> refused = send("POST", "/reload", token());

        assertEquals(422, refused.statusCode(), refused.body());
        assertFalse(json(refused).path("applied").asBoolean(), refused.body());
        assertTrue(json(refused).path("errors").toString().contains("Dhcp4.subnet4[0].pools[0].pool"), refused.body());
    }

    @Test
    @DisplayName("GET /status names the node, transport, store, pools and cluster")
    void status() throws Exception {
        start(List.of(lease("198.18.1.2", 2, null)));

        JsonNode status = json(send("GET", "/status", null));

        assertEquals(4, status.path("node").asInt());
        assertEquals("udp", status.path("transport").path("type").asText());
        assertEquals(node.node().boundPort().getAsInt(), status.path("transport").path("listen-port").asInt());
        assertEquals("sqlite", status.path("store").path("type").asText());
        assertEquals("198.18.0.0/16", status.path("pools").get(0).path("subnet").asText());
        assertEquals(200, status.path("pools").get(0).path("total").asInt());
        assertEquals(1, status.path("pools").get(0).path("bound").asInt());
        assertEquals(199, status.path("pools").get(0).path("free").asInt());
        assertEquals("198.19.0.0/24", status.path("pools").get(1).path("subnet").asText());
        assertEquals("single-node", status.path("cluster").path("mode").asText());
        assertEquals(4, status.path("cluster").path("leader").asInt());
        assertEquals("[4]", status.path("cluster").path("members").toString());
        assertTrue(status.path("uptime-seconds").asLong() >= 0);
    }

    @Test
    @DisplayName("an admin port taken by another process refuses the start with one line naming it")
    void portTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            config = config("{\"listen\": \"127.0.0.1:" + taken.getLocalPort() + "\"}");
            node = NodeComponent.of(config).runtime();

            NodeStartException e = assertThrows(NodeStartException.class, () -> node.start(TIMEOUT));

            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort() + " (admin.listen)"), e.getMessage());
        }
    }

    @Test
    @DisplayName("a token file open to group or others refuses the start, naming the file")
    void openTokenFile() throws Exception {
        config = config("{\"listen\": \"127.0.0.1:0\"}");
        Path token = config.admin().tokenFile();
        Files.createDirectories(token.getParent());
        Files.writeString(token, "secret\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        node = NodeComponent.of(config).runtime();

        NodeStartException e = assertThrows(NodeStartException.class, () -> node.start(TIMEOUT));

        assertTrue(e.getMessage().contains("admin.token-file: " + token + ": the admin token file is open to group or "
                + "others (mode rw-r--r--)"), e.getMessage());
    }

    @Test
    @DisplayName("with admin.enabled false nothing listens")
    void disabled() throws Exception {
        config = config("{\"enabled\": false}");
        component = NodeComponent.of(config);
        node = component.runtime();
        node.start(TIMEOUT);

        assertThrows(IllegalStateException.class, () -> component.admin().port());
        assertFalse(Files.exists(config.admin().tokenFile()), "no token file either");
    }
}
