package io.mailfleet.server.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.MessageAttempt;
import io.mailfleet.protocols.smtp.check.MessageStart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Rspamd's HTTP {@code /checkv2}: the stored message streamed as the request body with the envelope in
 * the headers Rspamd reads (From, Rcpt, IP, Helo, User, Queue-Id), and its action obeyed: reject
 * {@code 554 5.7.1}, soft reject and greylist {@code 451 4.7.1}, add header and rewrite subject mark the
 * message as spam ({@code X-Spam: Yes}: Junk and {@code SPAM_SUBJECT} at delivery). Every scanned message
 * carries {@code X-Spamd-Result} and {@code X-Rspamd-Action}, as with docker-mailserver's Rspamd.
 */
public final class RspamdScanner extends SpamScanner {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlobStore blobs;
    private final URI check;
    private final String password;
    private final Duration timeout;
    private final HttpClient http;

    public RspamdScanner(BlobStore blobs, URI base, String password, long sizeLimit, boolean checkRelay,
                         Duration timeout) {
        super(sizeLimit, checkRelay);
        this.blobs = blobs;
        this.check = base.resolve("/checkv2");
        this.password = password;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().executor(ScanThreads.executor()).connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public String name() {
        return "rspamd";
    }

    @Override
    public CompletableFuture<ScanVerdict> scan(MessageAttempt attempt) {
        MessageStart t = attempt.start();
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return blobs.open(attempt.message());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }), attempt.size());
        HttpRequest.Builder req = HttpRequest.newBuilder(check).timeout(timeout).POST(body)
                .header("Queue-Id", t.transactionId())
                .header("Pass", "all");
        if (!t.sender().isEmpty()) {
            req.header("From", t.sender()); // none for the null sender, as Rspamd's milter
        }
        if (t.client().remoteAddress() != null) {
            req.header("IP", t.client().remoteAddress().getHostAddress());
        }
        if (t.client().helo() != null) {
            req.header("Helo", t.client().helo());
        }
        if (t.client().login() != null) {
            req.header("User", t.client().login());
        }
        for (String rcpt : t.recipients()) {
            req.header("Rcpt", rcpt);
        }
        if (!password.isEmpty()) {
            req.header("Password", password);
        }
        CompletableFuture<HttpResponse<String>> call = http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<ScanVerdict> result = call.thenApply(r -> verdict(r.statusCode(), r.body()));
        result.whenComplete((v, e) -> call.cancel(true)); // a time-out from the guard drops the request
        return result;
    }

    /** Rspamd's answer: HTTP 200 with the JSON result, whose action decides. */
    static ScanVerdict verdict(int status, String body) {
        if (status != 200) {
            throw new ScanFailure(ScanFailure.Kind.ERROR, "rspamd answered HTTP " + status, null);
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new ScanFailure(ScanFailure.Kind.ERROR, "rspamd's answer is not JSON", e);
        }
        if (root == null || !root.path("action").isTextual() || !root.path("score").isNumber()) {
            throw new ScanFailure(ScanFailure.Kind.ERROR, "rspamd's answer has no action and score", null);
        }
        String action = root.get("action").asText().toLowerCase(Locale.ROOT);
        double score = root.get("score").asDouble();
        double required = root.path("required_score").asDouble(0);
        String shown = "action=" + action + " score=" + SpamThresholds.format(score);
        String fields = "X-Spamd-Result: default: " + (action.equals("no action") ? "False" : "True") + " ["
                + SpamThresholds.format(score) + " / " + SpamThresholds.format(required) + "]"
                + symbols(root.path("symbols")) + "\r\n"
                + "X-Rspamd-Action: " + ClamdScanner.printable(action) + "\r\n";
        return switch (action) {
            case "reject" -> new ScanVerdict(new CheckResult.Refuse(SpamThresholds.REJECTED, "rspamd " + shown), shown);
            case "soft reject" -> new ScanVerdict(new CheckResult.Refuse(
                    new SmtpReply(451, "4.7.1", "Try again later"), "rspamd " + shown), shown);
            case "greylist" -> new ScanVerdict(new CheckResult.Refuse(
                    new SmtpReply(451, "4.7.1", "Greylisted, please try again later"), "rspamd " + shown), shown);
            case "add header", "rewrite subject" -> new ScanVerdict(
                    new CheckResult.Note("X-Spam: Yes\r\n" + fields, null), shown + " spam");
            case "no action" -> new ScanVerdict(new CheckResult.Note(fields, null), shown + " clean");
            default -> throw new ScanFailure(ScanFailure.Kind.ERROR,
                    "rspamd's action \"" + ClamdScanner.printable(action) + "\" is unknown", null);
        };
    }

    /** {@code ;\r\n\tNAME(score)} for each symbol, highest weight first, one per folded line. */
    private static String symbols(JsonNode symbols) {
        List<Map.Entry<String, Double>> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = symbols.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            list.add(Map.entry(ClamdScanner.printable(e.getKey()).replace(" ", ""), e.getValue().path("score").asDouble(0)));
        }
        list.sort((a, b) -> Double.compare(Math.abs(b.getValue()), Math.abs(a.getValue())));
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Double> e : list.subList(0, Math.min(100, list.size()))) {
            b.append(";\r\n\t").append(e.getKey()).append('(').append(SpamThresholds.format(e.getValue())).append(')');
        }
        return b.toString();
    }
}
