package io.mailfleet.server.dms;

import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryException;
import io.mailfleet.core.dms.ConfigProblem;
import io.mailfleet.core.dms.DmsConfig;
import io.mailfleet.core.dms.DmsConfigDirectory;
import io.mailfleet.core.dms.DmsFingerprint;
import io.mailfleet.core.service.DirectoryService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the directory equal to a docker-mailserver config directory: polls the files' sizes and
 * times every two seconds (docker-mailserver's change detector polls too), and on a change applies
 * the difference through the directory entities. A full reconcile also runs every minute, which
 * repairs anything a failed change left behind. Every node pointed at the same directory may run
 * it: the changes are idempotent.
 */
public final class DmsConfigSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DmsConfigSync.class);
    static final Duration POLL = Duration.ofSeconds(2);
    static final Duration RECONCILE = Duration.ofSeconds(60);

    private final Path dir;
    private final DirectoryService directory;
    private final ScheduledExecutorService executor;
    /** The poll, guarded: no error of one poll ends the watching. */
    private final io.mailfleet.core.service.GuardedTick tick =
            new io.mailfleet.core.service.GuardedTick("dms-config-sync", this::poll);
    private Map<String, DmsFingerprint.Stamp> lastStamps = Map.of();
    private Set<String> reportedProblems = Set.of();
    private long lastFullSync;

    private DmsConfigSync(Path dir, DirectoryService directory) {
        this.dir = dir;
        this.directory = directory;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dms-config-sync");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts watching; the first synchronisation runs at once. */
    public static DmsConfigSync start(Path dir, DirectoryService directory) {
        DmsConfigSync sync = new DmsConfigSync(dir, directory);
        LOG.info("docker-mailserver config directory {}: watching for changes", dir.toAbsolutePath());
        sync.executor.scheduleWithFixedDelay(sync.tick, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        return sync;
    }

    /** Runs a synchronisation now on the sync thread; completes when it is done. */
    public CompletableFuture<Integer> syncNow() {
        return CompletableFuture.supplyAsync(this::sync, executor);
    }

    /** Runs an edit of the files on the sync thread (so edits never interleave), then synchronises. */
    public CompletableFuture<Integer> editThenSync(Runnable edit) {
        return CompletableFuture.supplyAsync(() -> {
            edit.run();
            return sync();
        }, executor);
    }

    /** The watcher's tick, for the node's readiness check. */
    public io.mailfleet.core.service.GuardedTick tick() {
        return tick;
    }

    private void poll() {
        try {
            Map<String, DmsFingerprint.Stamp> stamps = DmsConfigDirectory.stamps(dir);
            boolean due = System.nanoTime() - lastFullSync > RECONCILE.toNanos();
            if (!stamps.equals(lastStamps) || due) {
                sync();
            }
        } catch (RuntimeException e) {
            // logged once by the guard (not every poll) and reported until a poll succeeds
            throw new IllegalStateException("docker-mailserver config directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Loads the files and applies the difference; returns the number of changes applied. */
    private int sync() {
        Map<String, DmsFingerprint.Stamp> stamps = DmsConfigDirectory.stamps(dir);
        DmsConfig cfg = DmsConfigDirectory.load(dir);
        reportProblems(cfg.problems());
        List<DirectoryChange> changes = DirectoryDiff.between(directory.view(), cfg.toDomainDirectories(), cfg.regexAliases());
        int applied = 0;
        for (DirectoryChange c : changes) {
            try {
                directory.apply(c).toCompletableFuture().get(30, TimeUnit.SECONDS);
                applied++;
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof DirectoryException de) {
                    // Another node applied the same file change first: nothing to do.
                    LOG.debug("dms sync: {} skipped: {}", c.getClass().getSimpleName(), de.getMessage());
                } else {
                    LOG.warn("dms sync: {} for {} failed: {}", c.getClass().getSimpleName(), c.address(), e.getCause().toString());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return applied;
            } catch (java.util.concurrent.TimeoutException e) {
                LOG.warn("dms sync: {} for {} timed out; retried at the next reconcile", c.getClass().getSimpleName(), c.address());
            }
        }
        if (applied > 0) {
            LOG.info("docker-mailserver config directory {}: {} change(s) applied ({} accounts in files)",
                    dir, applied, cfg.accounts().size());
        }
        lastStamps = stamps;
        lastFullSync = System.nanoTime();
        return applied;
    }

    private void reportProblems(List<ConfigProblem> problems) {
        Set<String> now = new HashSet<>();
        for (ConfigProblem p : problems) {
            String line = p.toString();
            now.add(line);
            if (!reportedProblems.contains(line)) {
                LOG.warn("docker-mailserver config: {}", line);
            }
        }
        reportedProblems = now;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
