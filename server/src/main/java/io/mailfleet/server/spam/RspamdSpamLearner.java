package io.mailfleet.server.spam;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.service.SpamLearner;
import io.mailfleet.core.spam.LearnOutcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Learns into Rspamd (docker-mailserver's {@code RSPAMD_LEARN}): the stored message streamed to the
 * controller's {@code /learnspam} or {@code /learnham} with the password and the user as Rspamd's
 * per-user statistics read them. Rspamd answering that it learned the message already counts as done.
 */
public final class RspamdSpamLearner implements SpamLearner {

    private final BlobStore blobs;
    private final URI base;
    private final String password;
    private final Duration timeout;
    private final HttpClient http;

    public RspamdSpamLearner(BlobStore blobs, URI base, String password, Duration timeout, Executor io) {
        this.blobs = blobs;
        this.base = base;
        this.password = password;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().executor(io).connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public String name() {
        return "rspamd";
    }

    @Override
    public CompletionStage<LearnOutcome> learn(String account, BlobRef message, boolean spam) {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return blobs.open(message);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }), message.size());
        HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(spam ? "/learnspam" : "/learnham"))
                .timeout(timeout).POST(body).header("Deliver-To", account);
        if (!password.isEmpty()) {
            req.header("Password", password);
        }
        return http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            // 204: Rspamd's learn conditions skipped it; "already learned" comes as a 404 (Rspamd 3.4) or 208.
            // Learning the other kind Rspamd relearns by itself (its learn cache) and answers 200: counted as learned.
            if (r.statusCode() == 208 || r.body().contains("already learned")) {
                return LearnOutcome.ALREADY_LEARNED;
            }
            if (r.statusCode() / 100 == 2) {
                return LearnOutcome.LEARNED;
            }
            throw new IllegalStateException("rspamd answered HTTP " + r.statusCode() + ": "
                    + r.body().substring(0, Math.min(200, r.body().length())));
        });
    }
}
