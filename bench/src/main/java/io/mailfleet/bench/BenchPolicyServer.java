package io.mailfleet.bench;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The MTA-STS policy host of {@code bench relay --mta-sts enforce}: the JDK's HTTPS server on loopback
 * serving one policy at {@code /.well-known/mta-sts.txt} (RFC 8461 §3.3) with a certificate for
 * {@code mta-sts.<domain>}; it counts the fetches, so a run shows the policy was cached.
 */
final class BenchPolicyServer implements AutoCloseable {

    private final HttpsServer server;
    private final ExecutorService threads;
    private final AtomicLong fetches = new AtomicLong();

    BenchPolicyServer(SSLContext tls, String policy) throws IOException {
        byte[] body = policy.getBytes(StandardCharsets.US_ASCII);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            try {
                if (!exchange.getRequestURI().getPath().equals("/.well-known/mta-sts.txt")) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                fetches.incrementAndGet();
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } finally {
                exchange.close();
            }
        });
        threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "bench-mta-sts-policy");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Policy requests answered so far. */
    long fetches() {
        return fetches.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
