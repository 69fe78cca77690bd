package dev.dhcpcluster.bootstrap.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@code dhcpcluster} commands use to talk to a running node's admin endpoint.
 */
public final class AdminClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String hostPort;
    private final Optional<AdminToken> token;
    private final HttpClient http;

    /**
     * A client of the endpoint at {@code hostPort} ({@code 127.0.0.1:9067}).
     *
     * @param token sent with requests that change state; empty sends none
     */
    public AdminClient(String hostPort, Optional<AdminToken> token) {
        this.hostPort = Objects.requireNonNull(hostPort, "hostPort");
        this.token = Objects.requireNonNull(token, "token");
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** {@code http://127.0.0.1:9067/}. */
    public String url() {
        return "http://" + hostPort + "/";
    }

    /** {@code GET pathAndQuery}. */
    public Response get(String pathAndQuery) throws NodeUnreachable, InterruptedException {
        return send(request(pathAndQuery).GET());
    }

    /** {@code DELETE path}, with the token. */
    public Response delete(String path) throws NodeUnreachable, InterruptedException {
        return send(authorized(request(path)).DELETE());
    }

    /** {@code POST path} with no body, with the token. */
    public Response post(String path) throws NodeUnreachable, InterruptedException {
        return send(authorized(request(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpRequest.Builder request(String pathAndQuery) throws NodeUnreachable {
        try {
            return HttpRequest.newBuilder(URI.create("http://" + hostPort + pathAndQuery)).timeout(REQUEST_TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new NodeUnreachable("\"" + hostPort + "\" is not an admin address (host:port): " + e.getMessage(), e);
        }
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value.value()));
        return request;
    }

    private Response send(HttpRequest.Builder request) throws NodeUnreachable, InterruptedException {
        try {
            HttpResponse<String> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new NodeUnreachable("no node answers at " + url() + " (is it running, with its admin endpoint on?)",
                    e);
        } catch (HttpTimeoutException e) {
            throw new NodeUnreachable("the node at " + url() + " did not answer within " + REQUEST_TIMEOUT.toSeconds()
                    + " s", e);
        } catch (IOException e) {
            throw new NodeUnreachable("cannot talk to the node at " + url() + ": " + e, e);
        }
    }

    /** An answer: its HTTP status and JSON body. */
    public record Response(int status, String body) {

        /** The body as JSON. */
        public JsonNode json() throws JsonProcessingException {
            return AdminJson.MAPPER.readTree(body);
        }

        /** The {@code error} of an error answer, else the status line. */
        public String error() {
            try {
                JsonNode error = json().get("error");
                if (error != null && error.isTextual()) {
                    return error.asText();
                }
            } catch (JsonProcessingException e) {
                // Not JSON: fall through to the status.
            }
            return "HTTP " + status;
        }

        /** True for 2xx. */
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** No node answered at the address, or not in time; the message says which. */
    public static final class NodeUnreachable extends Exception {
        public NodeUnreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
