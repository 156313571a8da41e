package io.mailfleet.server.scan;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.protocols.smtp.check.MessageAttempt;
import io.mailfleet.protocols.smtp.check.MessageStart;
import io.mailfleet.server.config.MilterSettings;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One milter (Sendmail/Postfix milter protocol version 6) as a {@link Scanner}: at the end of data
 * a whole conversation ({@link MilterConversation}) replays the transaction and the stored message
 * to it, each reply awaited no longer than Postfix's connect, command and content time-outs.
 */
public final class MilterScanner implements Scanner {

    private final BlobStore blobs;
    private final MilterSettings.Milter milter;
    private final String hostname;

    public MilterScanner(BlobStore blobs, MilterSettings.Milter milter, String hostname) {
        this.blobs = blobs;
        this.milter = milter;
        this.hostname = hostname;
    }

    @Override
    public String name() {
        return "milter:" + milter.spec();
    }

    @Override
    public long sizeLimit() {
        return Long.MAX_VALUE;
    }

    @Override
    public boolean concerns(MessageStart start) {
        return true;
    }

    @Override
    public String unavailableText() {
        return "Service unavailable - try again later";
    }

    /** The longest a whole conversation may take: each step has its own, shorter, deadline. */
    public Duration overallTimeout() {
        return milter.connectTimeout().plus(milter.contentTimeout().multipliedBy(2));
    }

    @Override
    public CompletableFuture<ScanVerdict> scan(MessageAttempt attempt) {
        CompletableFuture<ScanVerdict> out = new CompletableFuture<>();
        Deadline deadline = new Deadline(out);
        deadline.arm("connect", milter.connectTimeout());
        CompletableFuture<ScanVerdict> call = SocketCall.run(milter.address(), ch -> {
            deadline.disarm();
            return new MilterConversation(ch, blobs, attempt, hostname, milter, deadline).run();
        });
        call.whenComplete((v, e) -> {
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(v);
            }
        });
        out.whenComplete((v, e) -> {
            deadline.disarm();
            call.cancel(true); // closes the connection, waking a thread blocked on it
        });
        return out;
    }

    /** The deadline of the step under way: when it passes, the call fails with a time-out. */
    static final class Deadline {
        private final CompletableFuture<?> call;
        private volatile CompletableFuture<Void> armed;

        Deadline(CompletableFuture<?> call) {
            this.call = call;
        }

        void arm(String step, Duration timeout) {
            disarm();
            CompletableFuture<Void> d = new CompletableFuture<Void>().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
            armed = d;
            d.whenComplete((v, e) -> {
                if (e instanceof TimeoutException) {
                    call.completeExceptionally(new ScanFailure(ScanFailure.Kind.TIMEOUT,
                            "no answer to " + step + " within " + timeout.toMillis() + " ms", e));
                }
            });
        }

        void disarm() {
            CompletableFuture<Void> d = armed;
            if (d != null) {
                d.complete(null);
            }
        }
    }
}
