package dev.dhcpcluster.bootstrap.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes one JSON answer of an admin endpoint, a node's or a relay's, so that both answer alike:
 * pretty-printed UTF-8 with a final newline (a terminal's {@code curl} shows it as is), and a
 * length known before the body is sent.
 */
public final class JsonResponse {

    private JsonResponse() {
    }

    /** Sends {@code body} with {@code status} and closes the exchange's body. */
    public static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes;
        try {
            bytes = (AdminJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IOException(e);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
