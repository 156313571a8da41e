package io.mailfleet.protocols.flow;

import io.mailfleet.core.blob.BlobWriter;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How one listener stores received messages: each message runs as a Pekko stream
 * ({@link ChannelSource} to {@link BlobSink}) on the node's materializer, and the store writes on the
 * listener's upload threads, so store I/O never runs on an event loop or an actor thread; each
 * stream holds at most its window of bytes the store has not asked for.
 */
public final class BlobUploads implements AutoCloseable {

    /** Bytes of one message that may wait for the store before its client is read no further. */
    public static final int DEFAULT_WINDOW = 256 * 1024;

    /**
     * Between the source and the sink at most one element waits, so the window bounds what the node
     * holds (window + the element being written + one waiting).
     */
    private static final Attributes ONE_AT_A_TIME = Attributes.inputBuffer(1, 1);

    private final ThreadPoolExecutor threads;
    private final Executor io;
    private final int window;
    private final Materializer materializer;

    /**
     * @param name         prefix of the thread names
     * @param threads      at most this many uploads write at the same time; threads start on first use
     *                     and end when idle
     * @param materializer runs the streams (the node's)
     */
    public BlobUploads(String name, int threads, int window, Materializer materializer) {
        AtomicInteger n = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.threads.allowCoreThreadTimeOut(true);
        // after close, the last steps of an upload (an abort on disconnect) still run, on the caller
        this.io = task -> {
            try {
                this.threads.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
        this.window = window;
        this.materializer = materializer;
    }

    /** Starts the stream of one message into {@code target}; the session writes into what it returns. */
    public StreamedBlobWriter open(BlobWriter target) {
        Pair<ChannelSource.Intake, java.util.concurrent.CompletionStage<io.mailfleet.core.blob.BlobRef>> run;
        try {
            run = Source.fromGraph(new ChannelSource(window))
                    .toMat(Sink.fromGraph(new BlobSink(target, io)), Keep.both())
                    .withAttributes(ONE_AT_A_TIME)
                    .run(materializer);
        } catch (RuntimeException e) {
            // the materializer is shut down (the node is stopping): the caller refuses the message
            target.abort();
            throw e;
        }
        return new StreamedBlobWriter(run.first(), run.second());
    }

    /** Lets queued writes finish in the background; takes no new ones. */
    @Override
    public void close() {
        threads.shutdown();
    }
}
