package io.mailfleet.cluster.queue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/** Repeats an idempotent ask whose attempt timed out; any other failure ends it at once. */
final class TimeoutRetry {

    private TimeoutRetry() {
    }

    /**
     * Runs {@code attempt} (numbered from 1) until one completes, fails otherwise than by a timeout,
     * or {@code attempts} have timed out; the result is the last attempt's.
     */
    static <T> CompletionStage<T> run(int attempts, IntFunction<CompletionStage<T>> attempt) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
        return run(1, attempts, attempt);
    }

    private static <T> CompletionStage<T> run(int n, int attempts, IntFunction<CompletionStage<T>> attempt) {
        return attempt.apply(n).exceptionallyCompose(err -> n < attempts && isTimeout(err)
                ? run(n + 1, attempts, attempt)
                : CompletableFuture.failedFuture(err));
    }

    static boolean isTimeout(Throwable err) {
        Throwable c = err;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        // Pekko's AskTimeoutException is a TimeoutException
        return c instanceof TimeoutException;
    }
}
