package io.mailfleet.persistence.blob;

import io.mailfleet.core.files.PrivateFiles;
import io.mailfleet.core.blob.BlobRef;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes blobs durable in batches: one committer thread drains every commit that is waiting, appends
 * the small in-memory blobs to the current segment with a single force for all of them, and at the
 * same time forces the spilled files on a small pool, renames them into place and fsyncs each
 * distinct directory once for the whole batch. A writer's stage completes only after its bytes are
 * durable.
 */
final class GroupCommitter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupCommitter.class.getName());
    private static final PendingCommit STOP = new PendingCommit.Packed(null, 0, null, "stop", null);
    private static final int MAX_BATCH = 1024;

    private final Path root;
    private final SegmentStore segments;
    private final LinkedBlockingQueue<PendingCommit> queue = new LinkedBlockingQueue<>();
    private final ExecutorService forcePool;
    private final Executor completions;
    private final Thread thread;
    private final Set<Path> knownDirectories = ConcurrentHashMap.newKeySet();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong fileSyncs = new AtomicLong();
    private final AtomicLong directorySyncs = new AtomicLong();
    private boolean closed;

    GroupCommitter(Path root, SegmentStore segments, int forceThreads, ThreadFactory committerThreads,
                   Executor completions) {
        this.root = root;
        this.segments = segments;
        this.completions = completions;
        this.forcePool = Executors.newFixedThreadPool(forceThreads, daemon("mailfleet-blob-fsync"));
        this.thread = committerThreads.newThread(this::run);
        thread.start();
    }

    static ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    CompletionStage<BlobRef> submit(PendingCommit pending) {
        synchronized (this) {
            if (!closed) {
                queue.add(pending);
                return pending.done();
            }
        }
        discard(pending);
        pending.done().completeExceptionally(new IllegalStateException("blob store is closed; blob "
                + pending.name() + " was not committed"));
        return pending.done();
    }

    CommitStats stats() {
        return new CommitStats(commits.get(), batches.get(), fileSyncs.get() + segments.fileSyncs(),
                directorySyncs.get() + segments.directorySyncs());
    }

    /** Commits everything already submitted, then stops. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        try {
            thread.join(TimeUnit.MINUTES.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forcePool.shutdown();
        segments.close();
    }

    private void run() {
        List<PendingCommit> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue;
            }
            queue.drainTo(batch, MAX_BATCH);
            stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                try {
                    commitBatch(batch);
                } catch (RuntimeException | Error e) {
                    LOG.log(Level.SEVERE, "blob group commit failed", e);
                    for (PendingCommit p : batch) {
                        discard(p);
                        p.done().completeExceptionally(e);
                    }
                }
            }
            batch = new ArrayList<>();
        }
    }

    private void commitBatch(List<PendingCommit> batch) {
        batches.incrementAndGet();
        List<PendingCommit.Spilled> files = new ArrayList<>();
        List<PendingCommit.Packed> packed = new ArrayList<>();
        for (PendingCommit p : batch) {
            if (p instanceof PendingCommit.Spilled f) {
                files.add(f);
            } else {
                packed.add((PendingCommit.Packed) p);
            }
        }
        // the spilled files are forced on the pool while this thread appends and forces the segment
        List<Future<Throwable>> forces = new ArrayList<>(files.size());
        for (PendingCommit.Spilled f : files) {
            forces.add(forcePool.submit(() -> force(f)));
        }
        Map<PendingCommit, BlobRef> refs = new HashMap<>();
        Map<PendingCommit, Throwable> failures = new HashMap<>();
        if (!packed.isEmpty()) {
            SegmentStore.Appended appended = segments.append(packed);
            for (int i = 0; i < packed.size(); i++) {
                if (i < appended.refs().size()) {
                    refs.put(packed.get(i), appended.refs().get(i));
                } else {
                    failures.put(packed.get(i), appended.failure());
                }
            }
        }
        for (int i = 0; i < files.size(); i++) {
            Throwable t;
            try {
                t = forces.get(i).get();
            } catch (Exception e) {
                t = e;
            }
            if (t != null) {
                failures.put(files.get(i), t);
            }
        }
        publishFiles(files, failures, refs);

        for (PendingCommit p : batch) {
            if (!failures.containsKey(p)) {
                commits.incrementAndGet();
            }
        }
        completions.execute(() -> {
            for (PendingCommit p : batch) {
                Throwable failure = failures.get(p);
                if (failure != null) {
                    p.done().completeExceptionally(failure);
                } else {
                    p.done().complete(refs.get(p));
                }
            }
        });
    }

    /** Renames the forced files into place and fsyncs each distinct directory once. */
    private void publishFiles(List<PendingCommit.Spilled> files, Map<PendingCommit, Throwable> failures,
                              Map<PendingCommit, BlobRef> refs) {
        Set<Path> dirsToSync = new LinkedHashSet<>();
        List<PendingCommit.Spilled> moved = new ArrayList<>();
        for (PendingCommit.Spilled p : files) {
            if (failures.containsKey(p)) {
                continue;
            }
            try {
                p.channel().close();
                Path dir = p.target().getParent();
                ensureDirectory(dir, dirsToSync);
                Files.move(p.temp(), p.target(), StandardCopyOption.ATOMIC_MOVE);
                dirsToSync.add(dir);
                moved.add(p);
            } catch (IOException | RuntimeException e) {
                failures.put(p, new IOException("cannot move blob " + p.ref().id() + " into place: " + e, e));
            }
        }

        IOException dirFailure = null;
        for (Path dir : dirsToSync) {
            try {
                fsyncDirectory(dir);
                directorySyncs.incrementAndGet();
            } catch (IOException e) {
                // Entries of this batch may not be durable: fail the whole batch rather than claim
                // durability that was not achieved; the writers answer 4xx and the client retries.
                dirFailure = new IOException("cannot fsync blob directory " + dir + ": " + e.getMessage(), e);
                knownDirectories.remove(dir);
            }
        }
        for (PendingCommit.Spilled p : files) {
            if (!failures.containsKey(p) && dirFailure != null) {
                failures.put(p, dirFailure);
            }
            if (failures.containsKey(p)) {
                discard(p);
                if (moved.contains(p)) {
                    quietlyDelete(p.target());
                }
            } else {
                refs.put(p, p.ref());
            }
        }
    }

    private Throwable force(PendingCommit.Spilled p) {
        try {
            p.channel().force(true);
            fileSyncs.incrementAndGet();
            return null;
        } catch (IOException | RuntimeException e) {
            return new IOException("cannot fsync blob " + p.ref().id() + ": " + e.getMessage(), e);
        }
    }

    /** Creates missing fan-out directories; a new entry is durable only once its parent is synced. */
    private void ensureDirectory(Path dir, Set<Path> dirsToSync) throws IOException {
        if (knownDirectories.contains(dir)) {
            return;
        }
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !d.equals(root) && !Files.isDirectory(d); d = d.getParent()) {
            missing.add(0, d);
        }
        for (Path d : missing) {
            PrivateFiles.createDirectories(d);
            dirsToSync.add(d.getParent());
        }
        knownDirectories.add(dir);
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void discard(PendingCommit pending) {
        if (!(pending instanceof PendingCommit.Spilled p)) {
            return;
        }
        try {
            p.channel().close();
        } catch (IOException | RuntimeException ignored) {
            // the temp file is removed below; a close failure changes nothing for the caller
        }
        quietlyDelete(p.temp());
    }

    private static void quietlyDelete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (NoSuchFileException ignored) {
            // already gone
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + path + ": " + e.getMessage());
        }
    }
}
