package io.mailfleet.protocols.outbound;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A real HTTPS server (the JDK's) serving MTA-STS policies at {@code /.well-known/mta-sts.txt},
 * chosen by the request's Host ({@code mta-sts.<domain>}); each answer can be a policy, another
 * status, another content type, or held back to make the client time out.
 */
public final class MtaStsPolicyServer implements AutoCloseable {

    /** How one policy host answers. */
    public record Answer(int status, String contentType, byte[] body, String location, boolean held) {
        public static Answer policy(String text) {
            return new Answer(200, "text/plain", text.getBytes(StandardCharsets.UTF_8), null, false);
        }

        public static Answer status(int status) {
            return new Answer(status, "text/plain", ("status " + status).getBytes(StandardCharsets.UTF_8), null, false);
        }

        public static Answer redirect(String location) {
            return new Answer(302, "text/plain", new byte[0], location, false);
        }

        public static Answer slow() {
            return new Answer(200, "text/plain", new byte[0], null, true);
        }
    }

    private final HttpsServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    /** A request with a body (a TLS-RPT upload): its Host, Content-Type and body. */
    public record Post(String host, String path, String contentType, byte[] body) {
    }

    /** POST requests received, in order; each is answered 201. */
    public final List<Post> posts = new CopyOnWriteArrayList<>();
    /** Host headers of the requests received, in order. */
    public final List<String> requests = new CopyOnWriteArrayList<>();

    /** Listens on {@code address} (port 0: any) with the certificate of {@code tls}. */
    public MtaStsPolicyServer(InetAddress address, int port, SSLContext tls) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(address, port), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host");
            String name = host == null ? "" : host.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
            requests.add(name);
            if ("POST".equals(exchange.getRequestMethod())) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                posts.add(new Post(name, exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"), body));
                exchange.sendResponseHeaders(201, -1);
                exchange.close();
                return;
            }
            Answer a = exchange.getRequestURI().getPath().equals("/.well-known/mta-sts.txt") ? answers.get(name) : null;
            if (a == null) {
                a = Answer.status(404);
            }
            if (a.held()) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.getResponseHeaders().set("Content-Type", a.contentType());
            if (a.location() != null) {
                exchange.getResponseHeaders().set("Location", a.location());
            }
            exchange.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(a.body());
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mta-sts-policy-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What {@code mta-sts.<domain>} answers from now on. */
    public MtaStsPolicyServer answer(String domain, Answer a) {
        answers.put("mta-sts." + domain, a);
        return this;
    }

    /** Requests for one domain's policy so far. */
    public long requestsFor(String domain) {
        return requests.stream().filter(("mta-sts." + domain)::equals).count();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
