package io.mailfleet.server.scan;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What every call to an external scanner goes through: a time-out, a limit on calls at once, and a
 * circuit breaker. After {@code breakerFailures} consecutive failures the circuit opens and calls fail
 * at once for {@code openFor}; then one probe call is let through (half-open): its success closes the
 * circuit, its failure opens it again. A dead scanner so costs the SMTP clients no time-out each.
 * A call that finds every slot taken waits for one, in order, up to the call's time-out, while fewer
 * than {@code maxWaiting} wait (a burst of mail is scanned a little later rather than refused); beyond
 * that it fails at once as busy. Waiting holds no thread.
 */
public final class ScannerGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ScannerGuard.class);

    private enum State { CLOSED, OPEN, HALF_OPEN }

    private final String scanner;
    private final Duration timeout;
    private final Semaphore permits;
    private final int maxWaiting;
    /** Calls waiting for a slot, oldest first; guarded by this. */
    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private final int breakerFailures;
    private final long openForNanos;
    private final ScannerStats stats;

    private State state = State.CLOSED;
    private int failures;
    private long openedAt;
    private boolean probing;

    /** A guard whose calls never wait for a slot: one over {@code maxConcurrent} fails at once. */
    public ScannerGuard(String scanner, Duration timeout, int maxConcurrent, int breakerFailures, Duration openFor) {
        this(scanner, timeout, maxConcurrent, 0, breakerFailures, openFor);
    }

    public ScannerGuard(String scanner, Duration timeout, int maxConcurrent, int maxWaiting, int breakerFailures,
                        Duration openFor) {
        this.scanner = scanner;
        this.timeout = timeout;
        this.permits = new Semaphore(maxConcurrent);
        this.maxWaiting = maxWaiting;
        this.breakerFailures = breakerFailures;
        this.openForNanos = openFor.toNanos();
        this.stats = new ScannerStats(scanner);
    }

    public ScannerStats stats() {
        return stats;
    }

    /**
     * Runs {@code call} unless the circuit is open or too many run already. The future {@code call}
     * returns is completed with a time-out failure when it takes too long, so a client that closes its
     * connection when that future completes never leaves one open. Fails with a {@link ScanFailure}.
     */
    public <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> call) {
        boolean probe;
        synchronized (this) {
            if (state == State.OPEN && System.nanoTime() - openedAt >= openForNanos) {
                state = State.HALF_OPEN;
                probing = false;
            }
            if (state == State.OPEN || (state == State.HALF_OPEN && probing)) {
                stats.record(ScannerStats.Outcome.CIRCUIT_OPEN, 0);
                return CompletableFuture.failedFuture(new ScanFailure(ScanFailure.Kind.CIRCUIT_OPEN,
                        scanner + " circuit open after " + breakerFailures + " consecutive failures", null));
            }
            probe = state == State.HALF_OPEN;
            if (probe) {
                probing = true;
            }
        }
        if (permits.tryAcquire()) {
            return run(call);
        }
        CompletableFuture<Void> slot = null;
        synchronized (this) {
            if (probe) {
                // a probe does not queue: the next call after a free slot probes instead
                probing = false;
            } else if (waiting.size() < maxWaiting) {
                slot = new CompletableFuture<>();
                waiting.addLast(slot);
            }
        }
        if (slot == null) {
            stats.record(ScannerStats.Outcome.BUSY, 0);
            return CompletableFuture.failedFuture(new ScanFailure(ScanFailure.Kind.BUSY,
                    scanner + " has no free call slot and " + maxWaiting + " calls waiting for one", null));
        }
        CompletableFuture<Void> mine = slot;
        mine.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return mine.handle((ok, err) -> err).thenCompose(err -> {
            if (err == null) {
                return run(call);
            }
            synchronized (this) {
                waiting.remove(mine);
            }
            stats.record(ScannerStats.Outcome.BUSY, timeout.toNanos());
            return CompletableFuture.failedFuture(new ScanFailure(ScanFailure.Kind.BUSY,
                    scanner + ": no call slot became free within " + timeout.toMillis() + " ms", null));
        });
    }

    /** Runs {@code call} holding a slot, which {@link #release()} hands on when it ends. */
    private <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> call) {
        long start = System.nanoTime();
        CompletableFuture<T> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return f.handle((r, err) -> {
            release();
            long took = System.nanoTime() - start;
            if (err == null) {
                stats.record(ScannerStats.Outcome.ANSWERED, took);
                succeeded();
                return r;
            }
            ScanFailure failure = ScanFailure.of(err);
            stats.record(failure.kind() == ScanFailure.Kind.TIMEOUT
                    ? ScannerStats.Outcome.TIMEOUT : ScannerStats.Outcome.ERROR, took);
            failed(failure);
            throw failure;
        });
    }

    /** Hands the slot to the oldest call still waiting, else frees it. */
    private void release() {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (this) {
                next = waiting.pollFirst();
            }
            if (next == null) {
                permits.release();
                return;
            }
            // completed outside the lock: the waiter's call starts on this thread
            if (next.complete(null)) {
                return;
            }
            // it timed out meanwhile: try the next one
        }
    }

    private synchronized void succeeded() {
        failures = 0;
        if (state != State.CLOSED) {
            LOG.info("{}: answered again, circuit closed", scanner);
        }
        state = State.CLOSED;
        probing = false;
        stats.circuitOpen(false);
    }

    private synchronized void failed(ScanFailure f) {
        failures++;
        if (state == State.HALF_OPEN || (state == State.CLOSED && failures >= breakerFailures)) {
            LOG.warn("{}: circuit open for {} ms after {} consecutive failures, the last: {}", scanner,
                    openForNanos / 1_000_000, failures, f.getMessage());
            state = State.OPEN;
            openedAt = System.nanoTime();
            probing = false;
            stats.circuitOpen(true);
        }
    }
}
