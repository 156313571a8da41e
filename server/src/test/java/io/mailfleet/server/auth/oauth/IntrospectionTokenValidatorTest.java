package io.mailfleet.server.auth.oauth;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Introspection answers a provider may give, from a real HTTP server: the claims that are checked
 * when present, and the answers that are a provider problem (a temporary failure, never "valid").
 */
class IntrospectionTokenValidatorTest {

    private HttpServer http;
    private final AtomicReference<String> answer = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private ExecutorService executor;
    private ProviderHttp provider;

    @BeforeEach
    void start() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/introspect", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        executor = Executors.newFixedThreadPool(2);
        provider = new ProviderHttp(executor, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        http.stop(0);
        executor.shutdownNow();
    }

    private IntrospectionTokenValidator validator(URI uri) {
        return new IntrospectionTokenValidator(provider, uri, "client", "secret", "https://idp.example", "mail",
                "email", Duration.ofSeconds(60), Clock.systemUTC());
    }

    private TokenVerdict check(String json) throws Exception {
        answer.set(json);
        return validator(URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/introspect"))
                .validate("opaque-token").toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void claimsPresentInTheAnswerAreChecked() throws Exception {
        long later = System.currentTimeMillis() / 1000 + 3600;
        assertEquals("user@example.com", check("{\"active\":true,\"email\":\"user@example.com\",\"aud\":[\"x\",\"mail\"],"
                + "\"iss\":\"https://idp.example\",\"exp\":" + later + "}").account());
        assertEquals("introspection: token not active", check("{\"active\":false}").refusal());
        assertEquals("introspection: token not active", check("{\"active\":\"true\",\"email\":\"a@b\",\"aud\":\"mail\"}").refusal(),
                "only the JSON true");
        assertEquals("introspection: token expired",
                check("{\"active\":true,\"email\":\"a@b\",\"aud\":\"mail\",\"exp\":1000}").refusal());
        assertEquals("introspection: issuer https://evil.example",
                check("{\"active\":true,\"email\":\"a@b\",\"aud\":\"mail\",\"iss\":\"https://evil.example\"}").refusal());
        assertEquals("introspection: not for audience mail", check("{\"active\":true,\"email\":\"a@b\",\"aud\":\"other\"}").refusal());
        assertEquals("introspection: not for audience mail", check("{\"active\":true,\"email\":\"a@b\"}").refusal(),
                "an audience is required when configured");
        assertEquals("introspection: no email in the answer", check("{\"active\":true,\"aud\":\"mail\"}").refusal());
    }

    @Test
    void providerProblemsAreTemporaryFailures() throws Exception {
        status.set(500);
        ExecutionException e = assertThrows(ExecutionException.class, () -> check("{\"active\":true}"));
        assertInstanceOf(ProviderHttp.ProviderException.class, e.getCause());
        status.set(200);
        e = assertThrows(ExecutionException.class, () -> check("not json"));
        assertInstanceOf(ProviderHttp.ProviderException.class, e.getCause());
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        URI nobody = URI.create("http://127.0.0.1:" + closed + "/introspect");
        assertThrows(ExecutionException.class,
                () -> validator(nobody).validate("t").toCompletableFuture().get(30, TimeUnit.SECONDS));
    }
}
