package io.mailfleet.cluster.queue;

import org.apache.pekko.pattern.AskTimeoutException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeoutRetryTest {

    @Test
    void aTimedOutAttemptIsRepeatedUntilOneAnswers() {
        List<Integer> tried = new ArrayList<>();
        String r = TimeoutRetry.run(4, n -> {
            tried.add(n);
            return n < 3 ? CompletableFuture.failedFuture(new AskTimeoutException("lost in a hand-off"))
                    : CompletableFuture.completedFuture("queued on attempt " + n);
        }).toCompletableFuture().join();
        assertEquals("queued on attempt 3", r);
        assertEquals(List.of(1, 2, 3), tried);
    }

    @Test
    void afterTheLastAttemptTheTimeoutIsTheResult() {
        List<Integer> tried = new ArrayList<>();
        CompletionException e = assertThrows(CompletionException.class, () -> TimeoutRetry.<String>run(3, n -> {
            tried.add(n);
            return CompletableFuture.failedFuture(new TimeoutException("attempt " + n));
        }).toCompletableFuture().join());
        assertEquals("attempt 3", assertInstanceOf(TimeoutException.class, e.getCause()).getMessage());
        assertEquals(List.of(1, 2, 3), tried);
    }

    @Test
    void otherFailuresAreNotRepeated() {
        List<Integer> tried = new ArrayList<>();
        CompletionException e = assertThrows(CompletionException.class, () -> TimeoutRetry.<String>run(4, n -> {
            tried.add(n);
            return CompletableFuture.failedFuture(new IllegalStateException("journal down"));
        }).toCompletableFuture().join());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(List.of(1), tried);
        assertTrue(TimeoutRetry.isTimeout(new CompletionException(new AskTimeoutException("x"))));
        assertThrows(IllegalArgumentException.class, () -> TimeoutRetry.run(0, n -> CompletableFuture.completedFuture(1)));
    }
}
