package io.mailfleet.server.auth.oauth;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * The calls to the OAuth2 provider: JSON documents by GET (discovery, JWKS) and form POSTs with client
 * credentials (introspection), over the JDK's asynchronous HTTP client whose completions run on the
 * authentication executor, never on a Netty event loop.
 */
final class ProviderHttp {

    /** Largest answer read from the provider: a JWKS or an introspection answer is a few KiB. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final HttpClient client;
    private final Duration timeout;

    ProviderHttp(Executor executor, Duration timeout) {
        this.client = HttpClient.newBuilder().executor(executor).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.timeout = timeout;
    }

    /** The JSON object at {@code uri}, as text (for parsers that take the document, such as a JWKS). */
    CompletableFuture<String> getText(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        return send(request);
    }

    /** The JSON object at {@code uri}. */
    CompletableFuture<Map<String, Object>> getJson(URI uri) {
        return getText(uri).thenApply(body -> parse(uri, body));
    }

    /** POSTs {@code form} with HTTP Basic client credentials (RFC 6749 2.3.1 encoding); the answer as JSON. */
    CompletableFuture<Map<String, Object>> postForm(URI uri, String clientId, String clientSecret, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (!clientId.isEmpty()) {
            String basic = enc(clientId) + ":" + enc(clientSecret);
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        return send(b.build()).thenApply(text -> parse(uri, text));
    }

    private CompletableFuture<String> send(HttpRequest request) {
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            if (r.statusCode() != 200) {
                throw new ProviderException(request.uri() + " answered HTTP " + r.statusCode());
            }
            if (r.body().length > MAX_BODY_BYTES) {
                throw new ProviderException(request.uri() + " answered more than " + MAX_BODY_BYTES + " bytes");
            }
            return new String(r.body(), StandardCharsets.UTF_8);
        });
    }

    private static Map<String, Object> parse(URI uri, String body) {
        try {
            return JSONObjectUtils.parse(body);
        } catch (java.text.ParseException e) {
            throw new ProviderException(uri + " answered no JSON object: " + e.getMessage());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The provider could not be asked or gave an unusable answer: a temporary failure, not a bad token. */
    static final class ProviderException extends RuntimeException {
        ProviderException(String message) {
            super(message);
        }

        ProviderException(String message, IOException cause) {
            super(message, cause);
        }
    }
}
