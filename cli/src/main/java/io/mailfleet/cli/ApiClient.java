package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small client of the management API; any failure becomes a {@link CliFailure} with a clear message. */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static ObjectNode body(String... kv) {
        ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            o.put(kv[i], kv[i + 1]);
        }
        return o;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode send(String method, String path, JsonNode body) {
        return send(method, path, body, Duration.ofSeconds(30));
    }

    /** As above, waiting up to {@code timeout} for the answer (for requests that run a long job). */
    JsonNode send(String method, String path, JsonNode body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw unreachable();
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException) {
                throw unreachable();
            }
            throw new CliFailure("the Mailfleet node at " + baseUrl + " did not answer properly: " + e.getMessage(), 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted", 1);
        }
        JsonNode node;
        try {
            node = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new CliFailure("the Mailfleet node at " + baseUrl + " answered HTTP " + r.statusCode()
                    + " with a body that is not JSON", 1);
        }
        if (r.statusCode() == 401) {
            throw new CliFailure("the Mailfleet node at " + baseUrl + " refused the API token ("
                    + node.path("message").asText() + "); the CLI must use the same configuration"
                    + " (--config, MAILFLEET_DATA, MAILFLEET_API_TOKEN) as the node", 1);
        }
        if (r.statusCode() >= 300) {
            throw new CliFailure(node.path("message").asText("HTTP " + r.statusCode()), 1);
        }
        return node;
    }

    private CliFailure unreachable() {
        return new CliFailure("cannot reach the Mailfleet node at " + baseUrl + " — is `./mailfleet serve` running?", 1);
    }
}
