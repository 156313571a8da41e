package io.mailfleet.server.scan;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.ForwardingBlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.MessageAttempt;
import io.mailfleet.protocols.smtp.check.MessageStart;
import io.mailfleet.protocols.smtp.check.SmtpPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clamd client against a real clamd: the stored message goes out in reads of at most one chunk
 * (never the whole message in memory), a virus is named, and a daemon answering garbage is a failure.
 */
class ClamdScannerTest {

    @TempDir
    static Path dir;
    private static Clamd clamd;
    private static FileBlobStore files;

    @BeforeAll
    static void start() throws Exception {
        clamd = Clamd.start(dir.resolve("clamd"));
        files = new FileBlobStore(dir.resolve("blobs"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (clamd != null) {
            clamd.close();
        }
    }

    /** The blob store, counting what is read from it and the largest single read. */
    private static final class CountingBlobs extends ForwardingBlobStore {
        final AtomicLong total = new AtomicLong();
        final AtomicLong largestRead = new AtomicLong();

        CountingBlobs() {
            super(files);
        }

        @Override
        public InputStream open(BlobRef ref) throws IOException {
            return new FilterInputStream(real.open(ref)) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        total.addAndGet(n);
                        largestRead.accumulateAndGet(n, Math::max);
                    }
                    return n;
                }
            };
        }
    }

    private static MessageAttempt stored(String text) throws Exception {
        BlobWriter w = files.create();
        w.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
        BlobRef ref = w.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
        MessageStart start = new MessageStart(new SmtpPeer("s1", "127.0.0.1", null, "client.example", false, null),
                "T1", "sender@remote.example", List.of("user@example.com"), false);
        return new MessageAttempt(start, ref, text.length());
    }

    @Test
    void aLargeMessageIsStreamedInChunksAndAVirusIsNamed() throws Exception {
        CountingBlobs blobs = new CountingBlobs();
        ClamdScanner scanner = new ClamdScanner(blobs, new InetSocketAddress("127.0.0.1", clamd.port), Long.MAX_VALUE);
        String filler = "0123456789".repeat(300_000) + "\r\n"; // 3 MB
        MessageAttempt clean = stored("Subject: big\r\n\r\n" + filler);
        ScanVerdict v = scanner.scan(clean).get(60, TimeUnit.SECONDS);
        assertEquals(CheckResult.ACCEPT, v.result());
        assertEquals(clean.size(), blobs.total.get());
        assertTrue(blobs.largestRead.get() <= ClamdScanner.CHUNK, "read " + blobs.largestRead.get() + " at once");

        ScanVerdict virus = scanner.scan(stored("Subject: x\r\n\r\n" + filler + Clamd.EICAR + "\r\n"))
                .get(60, TimeUnit.SECONDS);
        assertTrue(virus.result() instanceof CheckResult.Refuse r
                && r.reply().line().equals("554 5.7.1 Virus found: " + Clamd.SIGNATURE + ".UNOFFICIAL"), virus.toString());
    }

    @Test
    void aDaemonAnsweringGarbageIsAFailure() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = fake.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write("HELLO THERE\0".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    s.getInputStream().readAllBytes();
                } catch (IOException ignored) {
                    // the client hung up
                }
            });
            t.setDaemon(true);
            t.start();
            ClamdScanner scanner = new ClamdScanner(files, new InetSocketAddress("127.0.0.1", fake.getLocalPort()),
                    Long.MAX_VALUE);
            CompletionException e = assertThrows(CompletionException.class,
                    () -> scanner.scan(stored("Subject: x\r\n\r\nhello\r\n")).join());
            assertTrue(e.getCause() instanceof ScanFailure f && f.getMessage().contains("HELLO THERE"), e.toString());
        }
    }
}
