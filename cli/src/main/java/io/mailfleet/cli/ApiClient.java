package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small client of the management API; any failure becomes a {@link CliFailure} with a clear message.
 * On {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: a CLI call makes one request,
 * and building the JDK's asynchronous client (its selector thread, and an SSL context even for plain
 * HTTP) cost a fifth of a call's time.
 */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String token;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

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
        HttpURLConnection c;
        try {
            c = (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
            c.setRequestMethod(method);
        } catch (IOException | IllegalArgumentException e) {
            throw new CliFailure("the Mailfleet node address " + baseUrl + " is not usable: " + e.getMessage(), 1);
        }
        c.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        c.setUseCaches(false);
        c.setInstanceFollowRedirects(false);
        c.setRequestProperty("Authorization", "Bearer " + token);
        c.setRequestProperty("Accept", "application/json");
        try {
            // a node that is not there fails here, before anything was sent
            boolean sends = body != null || method.equals("POST") || method.equals("PUT");
            if (sends) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
            }
            c.connect();
        } catch (IOException e) {
            throw unreachable();
        }
        int status;
        String answer;
        try {
            if (c.getDoOutput()) {
                try (OutputStream out = c.getOutputStream()) {
                    if (body != null) {
                        out.write(body.toString().getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            answer = in == null ? "" : readAll(in);
        } catch (IOException e) {
            throw new CliFailure("the Mailfleet node at " + baseUrl + " did not answer properly: " + e.getMessage(), 1);
        } finally {
            c.disconnect();
        }
        JsonNode node;
        try {
            node = answer.isEmpty() ? JSON.nullNode() : JSON.readTree(answer);
        } catch (IOException e) {
            throw new CliFailure("the Mailfleet node at " + baseUrl + " answered HTTP " + status
                    + " with a body that is not JSON", 1);
        }
        if (status == 401) {
            throw new CliFailure("the Mailfleet node at " + baseUrl + " refused the API token ("
                    + node.path("message").asText() + "); the CLI must use the same configuration"
                    + " (--config, MAILFLEET_DATA, MAILFLEET_API_TOKEN) as the node", 1);
        }
        if (status >= 300) {
            throw new CliFailure(node.path("message").asText("HTTP " + status), 1);
        }
        return node;
    }

    private static String readAll(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private CliFailure unreachable() {
        return new CliFailure("cannot reach the Mailfleet node at " + baseUrl + " — is `./mailfleet serve` running?", 1);
    }
}
