package io.mailfleet.protocols.flow;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.persistence.blob.FileBlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One message's stream ({@link ChannelSource} into {@link BlobSink}) on a real materializer and a
 * real file store: order, the demand the read gate follows, write failures, discards.
 */
class MessageStreamTest {

    @TempDir
    Path dir;

    private final BlobUploads uploads = new BlobUploads("test-blob-io", 1, 64 * 1024, TestStreams.materializer());

    @AfterEach
    void stop() {
        uploads.close();
    }

    /** A real file store's writer that waits at the gate before each write and notes its thread. */
    private static final class GatedWriter implements BlobWriter {
        final BlobWriter real;
        final CountDownLatch gate;
        final AtomicInteger writes = new AtomicInteger();
        final CountDownLatch aborted = new CountDownLatch(1);
        volatile boolean writing;
        volatile boolean abortedWhileWriting;
        volatile String thread;
        volatile int failAt = -1;

        GatedWriter(BlobWriter real, CountDownLatch gate) {
            this.real = real;
            this.gate = gate;
        }

        @Override
        public void write(ByteBuffer bytes) throws IOException {
            writing = true;
            try {
                gate.await();
                thread = Thread.currentThread().getName();
                if (writes.incrementAndGet() == failAt) {
                    throw new IOException("disk full");
                }
                real.write(bytes);
            } catch (InterruptedException e) {
                throw new IOException(e);
            } finally {
                writing = false;
            }
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
            abortedWhileWriting |= writing;
            real.abort();
            aborted.countDown();
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
    void bytesReachTheStoreInOrderOnTheUploadThreadAndCommitWaitsForThem() throws Exception {
        try (FileBlobStore store = new FileBlobStore(dir)) {
            GatedWriter target = new GatedWriter(store.create(), new CountDownLatch(0));
            StreamedBlobWriter w = uploads.open(target);
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
            assertTrue(target.thread.startsWith("test-blob-io-"), target.thread);
            try (InputStream in = store.open(ref)) {
                assertArrayEquals(expected.toByteArray(), in.readAllBytes());
            }
        }
    }

    /** Fails if demand did not follow the stream: the read gate would never turn autoRead off. */
    @Test
    void demandStopsWithTheBufferFullAndReturnsWhenTheStoreAsksForMore() throws Exception {
        try (FileBlobStore store = new FileBlobStore(dir)) {
            CountDownLatch gate = new CountDownLatch(1);
            GatedWriter target = new GatedWriter(store.create(), gate);
            StreamedBlobWriter w = uploads.open(target);
            assertTrue(w.hasDemand());
            CountDownLatch early = new CountDownLatch(1);
            w.onDemand(early::countDown);
            assertEquals(0, early.getCount(), "with demand the signal comes at once");
            w.write(block(16 * 1024, 0));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!target.writing && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertTrue(target.writing, "the first block went down the stream to the store, which holds it");
            int writes = 1;
            while (w.hasDemand() && writes < 100) {
                w.write(block(16 * 1024, writes++));
            }
            assertFalse(w.hasDemand(), "the stream holds no more than its window while the store takes nothing");
            assertEquals(5, writes, "the window (64 KiB) waits in the source, one block more at the stalled store");
            CountDownLatch signal = new CountDownLatch(1);
            w.onDemand(signal::countDown);
            assertEquals(1, signal.getCount(), "no demand while the store is stalled");
            gate.countDown();
            assertTrue(signal.await(30, TimeUnit.SECONDS), "demand returned once the store asked for more");
            assertTrue(w.hasDemand());
            BlobRef ref = w.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(writes * 16L * 1024, ref.size());
        }
    }

    @Test
    void aFailedWriteIsReportedByTheNextWriteAndByCommitAndTheBlobIsAborted() throws Exception {
        try (FileBlobStore store = new FileBlobStore(dir)) {
            GatedWriter target = new GatedWriter(store.create(), new CountDownLatch(0));
            target.failAt = 2;
            StreamedBlobWriter w = uploads.open(target);
            w.write(block(100, 1));
            w.write(block(100, 2));
            assertTrue(target.aborted.await(30, TimeUnit.SECONDS), "a blob that lost bytes is never committed");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!w.hasDemand() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertTrue(w.hasDemand(), "a stopped stream never holds the client back");
            IOException next = assertThrows(IOException.class, () -> w.write(block(100, 3)));
            assertEquals("disk full", next.getMessage());
            CompletionException e = assertThrows(CompletionException.class,
                    () -> w.commit().toCompletableFuture().join());
            assertEquals("disk full", e.getCause().getMessage());
        }
    }

    @Test
    void abortDropsWhatWaitsAndAbortsTheBlobAfterTheRunningWrite() throws Exception {
        try (FileBlobStore store = new FileBlobStore(dir)) {
            CountDownLatch gate = new CountDownLatch(1);
            GatedWriter target = new GatedWriter(store.create(), gate);
            StreamedBlobWriter w = uploads.open(target);
            for (int i = 0; i < 8; i++) {
                w.write(block(10_000, i));
            }
            CountDownLatch signal = new CountDownLatch(1);
            w.onDemand(signal::countDown);
            w.abort();
            gate.countDown();
            assertTrue(target.aborted.await(30, TimeUnit.SECONDS));
            assertFalse(target.abortedWhileWriting, "the abort waited for the write running at that moment");
            assertTrue(target.writes.get() <= 1, "bytes waiting behind the abort are dropped: " + target.writes.get());
            assertEquals(1, signal.getCount(), "a discarded message wakes nobody");
            assertThrows(IOException.class, () -> w.write(block(1, 1)));
            assertThrows(CompletionException.class, () -> w.commit().toCompletableFuture().join());
        }
    }

    @Test
    void manyShortMessagesEachGetTheirOwnStream() throws Exception {
        try (FileBlobStore store = new FileBlobStore(dir)) {
            for (int i = 0; i < 200; i++) {
                StreamedBlobWriter w = uploads.open(store.create());
                ByteBuffer b = block(100 + i, i);
                byte[] expected = b.array().clone();
                w.write(b);
                BlobRef ref = w.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
                try (InputStream in = store.open(ref)) {
                    assertArrayEquals(expected, in.readAllBytes());
                }
            }
        }
    }
}
