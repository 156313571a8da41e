package io.mailfleet.server.importer;

import io.mailfleet.core.mailbox.MailboxException;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for the mailbox's answer on the blocking thread of an import or export: a refusal stays a
 * {@link MailboxException}, anything else becomes an IllegalStateException with the reason.
 */
public final class MailboxWait {

    private MailboxWait() {
    }

    /** The value of {@code stage}, waiting at most {@code seconds}; {@code job} names the work in an interruption. */
    public static <T> T await(CompletionStage<T> stage, long seconds, String job) {
        try {
            return stage.toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(job + " interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MailboxException me) {
                throw me;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the mailbox did not answer within " + seconds + " s", e);
        }
    }
}
