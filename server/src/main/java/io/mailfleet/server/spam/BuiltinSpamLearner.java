package io.mailfleet.server.spam;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.service.SpamLearner;
import io.mailfleet.core.spam.LearnOutcome;
import io.mailfleet.core.spam.classifier.Features;
import io.mailfleet.core.spam.classifier.MessageText;
import io.mailfleet.core.spam.classifier.SpamClassifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Learns into the built-in classifier: the blob's first octets read on {@code io}, features, then the
 * models, which skip a message they learned as that kind already and relearn one learned as the other.
 */
public final class BuiltinSpamLearner implements SpamLearner {

    private final BlobStore blobs;
    private final SpamClassifier classifier;
    private final Executor io;

    public BuiltinSpamLearner(BlobStore blobs, SpamClassifier classifier, Executor io) {
        this.blobs = blobs;
        this.classifier = classifier;
        this.io = io;
    }

    @Override
    public String name() {
        return "builtin";
    }

    @Override
    public CompletionStage<LearnOutcome> learn(String account, BlobRef message, boolean spam) {
        return CompletableFuture.supplyAsync(() -> Features.of(head(blobs, message)), io)
                .thenCompose(f -> classifier.learn(account, f, spam));
    }

    /** The first {@link MessageText#MAX_BYTES} octets of a stored message (blocking: call off event loops). */
    static byte[] head(BlobStore blobs, BlobRef ref) {
        try (InputStream in = blobs.openRange(ref, 0, Math.min(ref.size(), MessageText.MAX_BYTES))) {
            return in.readNBytes(MessageText.MAX_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
