package io.mailfleet.protocols.flow;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.core.blob.BlobWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacedBlobWriterTest {

    @TempDir
    Path dir;

    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-blob-io"));

    @AfterEach
    void stop() {
        io.shutdownNow();
    }

    /** A real file store's writer that waits at the gate before each write and notes its thread. */
    private static final class GatedWriter implements BlobWriter {
        final BlobWriter real;
        final CountDownLatch gate;
        final AtomicInteger writes = new AtomicInteger();
        volatile String thread;
        volatile boolean aborted;
        volatile int failAt = -1;

        GatedWriter(BlobWriter real, CountDownLatch gate) {
            this.real = real;
            this.gate = gate;
        }

        @Override
        public void write(ByteBuffer bytes) throws IOException {
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            thread = Thread.currentThread().getName();
            if (writes.incrementAndGet() == failAt) {
                throw new IOException("disk full");
            }
            real.write(bytes);
        }

        @Override
        public long size() {
            return real.size();
        }

        @Override
        public java.util.concurrent.CompletionStage<BlobRef> commit() {
            return real.commit();
        }

        @Override
        public void abort() {
            aborted = true;
            real.abort();
        }

        @Override
        public void close() {
            real.close();
        }
    }

    private static ByteBuffer block(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 31);
        }
        return ByteBuffer.wrap(b);
    }

    @Test
    void writesReachTheStoreInOrderOnTheIoThreadAndCommitWaitsForThem() throws Exception {
        try (FileBlobStore store = new FileBlobStore(dir)) {
            GatedWriter target = new GatedWriter(store.create(), new CountDownLatch(0));
            PacedBlobWriter w = new PacedBlobWriter(target, io, 1024 * 1024);
            java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
            ByteBuffer reused = ByteBuffer.allocate(1000);
            for (int i = 0; i < 300; i++) {
                ByteBuffer b = block(1000, i);
                expected.write(b.array());
                // the caller's buffer is reused at once, as MessageSink does
                reused.clear();
                reused.put(b).flip();
                w.write(reused);
                assertFalse(reused.hasRemaining());
            }
            assertEquals(300_000, w.size());
            BlobRef ref = w.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals("test-blob-io", target.thread);
            try (InputStream in = store.open(ref)) {
                assertArrayEquals(expected.toByteArray(), in.readAllBytes());
            }
        }
    }

    @Test
    void demandStopsAtTheWindowAndReturnsWhenTheStoreCatchesUp() throws Exception {
        try (FileBlobStore store = new FileBlobStore(dir)) {
            CountDownLatch gate = new CountDownLatch(1);
            GatedWriter target = new GatedWriter(store.create(), gate);
            PacedBlobWriter w = new PacedBlobWriter(target, io, 64 * 1024);
            assertTrue(w.hasDemand());
            CountDownLatch early = new CountDownLatch(1);
            w.onDemand(early::countDown);
            assertEquals(0, early.getCount(), "with demand the signal comes at once");
            for (int i = 0; i < 4; i++) {
                w.write(block(16 * 1024, i));
            }
            assertFalse(w.hasDemand(), "64 KiB wait for a store that takes nothing");
            CountDownLatch signal = new CountDownLatch(1);
            w.onDemand(signal::countDown);
            assertEquals(1, signal.getCount());
            gate.countDown();
            assertTrue(signal.await(30, TimeUnit.SECONDS), "demand returned once the store took bytes");
            assertTrue(w.hasDemand());
            w.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFailedWriteIsReportedByTheNextWriteAndByCommit() throws Exception {
        try (FileBlobStore store = new FileBlobStore(dir)) {
            GatedWriter target = new GatedWriter(store.create(), new CountDownLatch(0));
            target.failAt = 2;
            PacedBlobWriter w = new PacedBlobWriter(target, io, 1024 * 1024);
            w.write(block(100, 1));
            w.write(block(100, 2));
            // let the failing write run
            io.submit(() -> { }).get(30, TimeUnit.SECONDS);
            assertThrows(IOException.class, () -> w.write(block(100, 3)));
            CompletionException e = assertThrows(CompletionException.class, () -> w.commit().toCompletableFuture().join());
            assertEquals("disk full", e.getCause().getMessage());
            io.submit(() -> { }).get(30, TimeUnit.SECONDS);
            assertTrue(target.aborted, "a blob that lost bytes is never committed");
        }
    }

    @Test
    void abortSkipsQueuedWritesAndAbortsTheStoreWriterAfterThem() throws Exception {
        try (FileBlobStore store = new FileBlobStore(dir)) {
            CountDownLatch gate = new CountDownLatch(1);
            GatedWriter target = new GatedWriter(store.create(), gate);
            PacedBlobWriter w = new PacedBlobWriter(target, io, 1024);
            w.write(block(10_000, 1));
            w.write(block(10_000, 2));
            w.write(block(10_000, 3));
            CountDownLatch signal = new CountDownLatch(1);
            w.onDemand(signal::countDown);
            w.abort();
            gate.countDown();
            io.submit(() -> { }).get(30, TimeUnit.SECONDS);
            assertTrue(target.aborted);
            assertTrue(target.writes.get() <= 1, "writes queued behind the abort are dropped: " + target.writes.get());
            assertEquals(1, signal.getCount(), "an aborted upload wakes nobody");
            assertThrows(IOException.class, () -> w.write(block(1, 1)));
        }
    }

    /**
     * The race CI met under load: the store's thread, starting late, skipped the aborted writes and
     * drained the window between the abort's skip flag and its clearing of the signal, and woke the
     * session. Many rounds with a store thread that starts at arbitrary moments.
     */
    @Test
    void anAbortRacingTheStoreThreadNeverWakesAnyone() throws Exception {
        for (int round = 0; round < 2000; round++) {
            ExecutorService storeThread = Executors.newSingleThreadExecutor();
            try {
                CountDownLatch gate = new CountDownLatch(1);
                BlobWriter target = new BlobWriter() {
                    @Override
                    public void write(ByteBuffer b) throws IOException {
                        try {
                            gate.await();
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                        b.position(b.limit());
                    }

                    @Override
                    public long size() {
                        return 0;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<BlobRef> commit() {
                        return java.util.concurrent.CompletableFuture.completedFuture(null);
                    }

                    @Override
                    public void abort() {
                    }

                    @Override
                    public void close() {
                    }
                };
                PacedBlobWriter w = new PacedBlobWriter(target, storeThread, 1024);
                for (int i = 0; i < 3; i++) {
                    w.write(ByteBuffer.allocate(10_000));
                }
                CountDownLatch signal = new CountDownLatch(1);
                w.onDemand(signal::countDown);
                w.abort();
                gate.countDown();
                storeThread.submit(() -> { }).get(30, TimeUnit.SECONDS);
                assertEquals(1, signal.getCount(), "round " + round + ": an aborted upload woke the session");
            } finally {
                storeThread.shutdownNow();
            }
        }
    }
}
