package io.mailfleet.protocols.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chunks read off the event loop reach the channel whole and in order; a closed channel closes the source. */
class OffLoopChunksTest {

    /** {@code chunks} chunks of {@code size} bytes numbered by chunk, noting the threads that read them. */
    private static final class Numbered implements OffLoopChunks.Source {
        final List<String> readers = new CopyOnWriteArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();
        final CountDownLatch hold;
        private final int chunks;
        private final int size;
        private int next;

        Numbered(int chunks, int size, CountDownLatch hold) {
            this.chunks = chunks;
            this.size = size;
            this.hold = hold;
        }

        @Override
        public ByteBuf read(ByteBufAllocator allocator) throws IOException {
            readers.add(Thread.currentThread().getName());
            if (next == 1) {
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            if (next == chunks) {
                return null;
            }
            ByteBuf b = allocator.buffer(size);
            for (int i = 0; i < size; i++) {
                b.writeByte(next);
            }
            next++;
            return b;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static byte[] expected(int chunks, int size) {
        byte[] b = new byte[chunks * size];
        for (int c = 0; c < chunks; c++) {
            for (int i = 0; i < size; i++) {
                b[c * size + i] = (byte) c;
            }
        }
        return b;
    }

    /** Runs the channel's loop until {@code done} or ten seconds passed. */
    private static void runUntil(EmbeddedChannel ch, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            ch.runPendingTasks();
            Thread.sleep(1);
        }
    }

    @Test
    void everyChunkIsReadOffTheLoopAndWrittenInOrder() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkedWriteHandler());
        Numbered source = new Numbered(5, 1000, new CountDownLatch(0));
        AtomicBoolean written = new AtomicBoolean();
        ch.writeAndFlush(new OffLoopChunks(source, ch, 5000)).addListener(f -> written.set(f.isSuccess()));
        runUntil(ch, written::get);

        assertTrue(written.get(), "the transfer did not end");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.write(bytes);
        }
        assertArrayEquals(expected(5, 1000), out.toByteArray());
        assertEquals(6, source.readers.size(), source.readers.toString());
        assertTrue(source.readers.stream().allMatch(t -> t.startsWith("mailfleet-blob-read-")), source.readers.toString());
        runUntil(ch, source.closed::get);
        assertTrue(source.closed.get(), "the source is closed at the end");
        ch.finishAndReleaseAll();
    }

    @Test
    void aChannelClosedDuringAReadClosesTheSourceWhenTheReadReturns() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkedWriteHandler());
        CountDownLatch hold = new CountDownLatch(1);
        Numbered source = new Numbered(5, 1000, hold);
        ch.writeAndFlush(new OffLoopChunks(source, ch, 5000));
        runUntil(ch, () -> source.readers.size() >= 2);
        assertEquals(2, source.readers.size(), "the second read is under way");

        ch.close();
        ch.runPendingTasks();
        assertFalse(source.closed.get(), "not closed under a running read");
        hold.countDown();
        runUntil(ch, source.closed::get);
        assertTrue(source.closed.get(), "closed once the read came back");
        ch.finishAndReleaseAll();
    }
}
