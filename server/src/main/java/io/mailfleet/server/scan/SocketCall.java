package io.mailfleet.server.scan;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

/**
 * One request-and-answer over a blocking socket to a scanner daemon (clamd, spamd), on the scan
 * threads. The connection is closed as soon as the returned future completes, also when the guard
 * completes it with a time-out: that close wakes the thread blocked in connect, write or read.
 */
final class SocketCall {

    /** What is said over the connection. */
    @FunctionalInterface
    interface Exchange<T> {
        T run(SocketChannel channel) throws IOException;
    }

    private SocketCall() {
    }

    static <T> CompletableFuture<T> run(SocketAddress address, Exchange<T> exchange) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Object lock = new Object();
        SocketChannel[] open = new SocketChannel[1];
        result.whenComplete((r, e) -> {
            synchronized (lock) {
                closeQuietly(open[0]);
            }
        });
        try {
            ScanThreads.executor().execute(() -> {
                try {
                    SocketChannel ch = address instanceof UnixDomainSocketAddress
                            ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
                    synchronized (lock) {
                        open[0] = ch;
                        if (result.isDone()) {
                            closeQuietly(ch);
                            return;
                        }
                    }
                    ch.connect(address instanceof InetSocketAddress i && i.isUnresolved()
                            ? new InetSocketAddress(i.getHostString(), i.getPort()) : address);
                    result.complete(exchange.run(ch));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                } finally {
                    synchronized (lock) {
                        closeQuietly(open[0]);
                    }
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Writes all of {@code b}. */
    static void writeFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /**
     * Reads until the peer closes or {@code stop} returns true on what was read, at most {@code max}
     * bytes: a scanner answering garbage without end is a failure, not a growing buffer.
     */
    static byte[] readAnswer(SocketChannel ch, int max, java.util.function.Predicate<byte[]> stop) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(max);
        byte[] seen = new byte[0];
        while (true) {
            int n = ch.read(buf);
            if (n < 0) {
                return seen;
            }
            seen = java.util.Arrays.copyOf(buf.array(), buf.position());
            if (stop.test(seen)) {
                return seen;
            }
            if (!buf.hasRemaining()) {
                throw new IOException("answer longer than " + max + " octets");
            }
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to do with it
            }
        }
    }
}
