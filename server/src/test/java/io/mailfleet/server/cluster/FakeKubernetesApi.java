package io.mailfleet.server.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one Kubernetes API call pekko-discovery-kubernetes-api makes, served over HTTPS with a
 * self-signed certificate: {@code GET /api/v1/namespaces/{ns}/pods?labelSelector=...} with the
 * service-account bearer token. Writes the files a pod finds under
 * {@code /var/run/secrets/kubernetes.io/serviceaccount} (ca.crt, token, namespace) into a directory.
 */
final class FakeKubernetesApi implements AutoCloseable {

    /** What the next pod-list request gets. */
    enum Answer { PODS, FORBIDDEN, GARBAGE }

    /** A pod as the API lists it: a Running pod on 127.0.0.1 with its own named container ports. */
    record Pod(String name, int remotingPort, int managementPort, boolean terminating) {
    }

    static final String NAMESPACE = "mail";
    private static final String STORE_PASSWORD = "fake-api";

    private final Path dir;
    private final String token;
    private final HttpsServer server;
    private final ConcurrentLinkedQueue<Answer> scripted = new ConcurrentLinkedQueue<>();
    private final List<String> selectors = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger podListsServed = new AtomicInteger();
    private final AtomicInteger rejectedTokens = new AtomicInteger();
    private volatile List<Pod> pods = List.of();

    private FakeKubernetesApi(Path dir, String token, HttpsServer server) {
        this.dir = dir;
        this.token = token;
        this.server = server;
    }

    /** Generates the certificate (keytool, SAN IP 127.0.0.1), the token and namespace files, and starts. */
    static FakeKubernetesApi start(Path dir, String token) throws Exception {
        Files.createDirectories(dir);
        Path keystore = dir.resolve("api.p12");
        keytool("-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=kubernetes", "-ext", "SAN=ip:127.0.0.1,dns:kubernetes.default.svc",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "api", "-keystore", keystore.toString(),
                "-storepass", STORE_PASSWORD, "-file", dir.resolve("ca.crt").toString());
        // written like the kubelet does: no trailing newline (the library reads the files verbatim)
        Files.writeString(dir.resolve("token"), token, StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("namespace"), NAMESPACE, StandardCharsets.US_ASCII);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, STORE_PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        FakeKubernetesApi api = new FakeKubernetesApi(dir, token, server);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    /** The pods every later {@link Answer#PODS} lists. */
    void pods(List<Pod> pods) {
        this.pods = List.copyOf(pods);
    }

    /** Answers queued for the next requests, in order; afterwards the pod list again. */
    void script(Answer... answers) {
        scripted.addAll(List.of(answers));
    }

    /** HOCON pointing the discovery at this server's certificate, token and namespace files. */
    String discoveryConfig() {
        return "pekko.discovery.kubernetes-api {\n"
                + "  api-ca-path = \"" + dir.resolve("ca.crt") + "\"\n"
                + "  api-token-path = \"" + dir.resolve("token") + "\"\n"
                + "  pod-namespace-path = \"" + dir.resolve("namespace") + "\"\n"
                + "}\n";
    }

    /** What the kubelet puts into every pod's environment. */
    Map<String, String> env() {
        return Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "KUBERNETES_SERVICE_PORT", Integer.toString(server.getAddress().getPort()));
    }

    /** Requests answered with the correct token (pods, errors or garbage). */
    int answered() {
        return answered.get();
    }

    /** Requests answered with the pod list. */
    int podListsServed() {
        return podListsServed.get();
    }

    int rejectedTokens() {
        return rejectedTokens.get();
    }

    List<String> labelSelectors() {
        synchronized (selectors) {
            return List.copyOf(selectors);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!"GET".equals(ex.getRequestMethod()) || !path.equals("/api/v1/namespaces/" + NAMESPACE + "/pods")) {
                reply(ex, 404, status(404, "NotFound", "no route for " + ex.getRequestMethod() + " " + path));
                return;
            }
            if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                rejectedTokens.incrementAndGet();
                reply(ex, 401, status(401, "Unauthorized", "Unauthorized"));
                return;
            }
            selectors.add(labelSelector(ex.getRequestURI().getRawQuery()));
            answered.incrementAndGet();
            Answer answer = scripted.poll();
            switch (answer == null ? Answer.PODS : answer) {
                case FORBIDDEN -> reply(ex, 403, status(403, "Forbidden", "pods is forbidden: User "
                        + "\"system:serviceaccount:mail:default\" cannot list resource \"pods\" in API group \"\" "
                        + "in the namespace \"mail\""));
                case GARBAGE -> reply(ex, 200, "<html>this is not a pod list</html>");
                case PODS -> {
                    reply(ex, 200, podList());
                    podListsServed.incrementAndGet();
                }
            }
        }
    }

    private static String labelSelector(String rawQuery) {
        if (rawQuery == null) {
            return "";
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("labelSelector=")) {
                return URLDecoder.decode(pair.substring("labelSelector=".length()), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    /** The PodList JSON shape of the real API server, reduced to what a kubectl get pods -o json shows. */
    private String podList() {
        StringBuilder b = new StringBuilder("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[");
        List<Pod> current = pods;
        for (int i = 0; i < current.size(); i++) {
            Pod p = current.get(i);
            b.append(i == 0 ? "" : ",")
                    .append("{\"metadata\":{\"name\":\"").append(p.name()).append("\",\"namespace\":\"")
                    .append(NAMESPACE).append("\",\"labels\":{\"app\":\"mailfleet\"}")
                    .append(p.terminating() ? ",\"deletionTimestamp\":\"2026-01-01T00:00:00Z\"" : "").append("},")
                    .append("\"spec\":{\"containers\":[{\"name\":\"mailfleet\",\"ports\":[")
                    .append("{\"name\":\"smtp\",\"containerPort\":25,\"protocol\":\"TCP\"},")
                    .append("{\"name\":\"remoting\",\"containerPort\":").append(p.remotingPort())
                    .append(",\"protocol\":\"TCP\"},")
                    .append("{\"name\":\"management\",\"containerPort\":").append(p.managementPort())
                    .append(",\"protocol\":\"TCP\"}]}]},")
                    .append("\"status\":{\"phase\":\"Running\",\"podIP\":\"127.0.0.1\",\"podIPs\":[{\"ip\":\"127.0.0.1\"}],")
                    .append("\"containerStatuses\":[{\"name\":\"mailfleet\",\"ready\":false,")
                    .append("\"state\":{\"running\":{\"startedAt\":\"2026-01-01T00:00:00Z\"}}}]}}");
        }
        return b.append("]}").toString();
    }

    private static String status(int code, String reason, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + "\"" + message.replace("\"", "\\\"") + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    }

    private static void reply(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
