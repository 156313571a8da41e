package io.mailfleet.cluster.delivery.sieve;

import io.mailfleet.core.mime.ParsedMessage;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.sieve.MimeSieveMessage;
import io.mailfleet.core.sieve.SieveMessage;
import io.mailfleet.persistence.blob.FileBlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sieve's view of a stored message comes from the one parse done at the start of delivery. */
class ParsedSieveMessageTest {

    private static final String MESSAGE = "From: Ann <ann@example.org>\r\n"
            + "Subject: =?UTF-8?Q?caf=C3=A9?=\r\n"
            + "X-Long: first\r\n second\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
            + "\r\n"
            + "preamble\r\n"
            + "--b1\r\n"
            + "Content-Type: text/plain; charset=iso-8859-1\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n"
            + "\r\n"
            + "Gr=FC=DFe, soft=\r\nbreak\r\n"
            + "--b1\r\n"
            + "Content-Type: text/html; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "\r\n"
            + "PHA+aGVsbG88L3A+\r\n"
            + "--b1\r\n"
            + "Content-Type: application/pdf\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "\r\n"
            + "JVBERi0=\r\n"
            + "--b1--\r\n";

    @TempDir
    Path dir;
    private FileBlobStore blobs;

    @BeforeEach
    void open() throws Exception {
        blobs = new FileBlobStore(dir);
    }

    @AfterEach
    void close() throws Exception {
        blobs.close();
    }

    private ParsedSieveMessage parsed(String message) throws Exception {
        byte[] b = message.getBytes(StandardCharsets.ISO_8859_1);
        BlobRef ref;
        try (BlobWriter w = blobs.create()) {
            w.write(b, 0, b.length);
            ref = w.commit().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        return new ParsedSieveMessage(blobs, ParsedMessage.parse(blobs, ref), "s@example.org", "u@example.com",
                "alias@example.com", ZonedDateTime.now());
    }

    @Test
    void headersAndDecodedPartsComeFromTheStoredMessage() throws Exception {
        ParsedSieveMessage m = parsed(MESSAGE);
        assertEquals(new SieveMessage.Header("X-Long", "first\r\n second"), m.headers().get(2));
        assertEquals("=?UTF-8?Q?caf=C3=A9?=", m.headers().get(1).value());
        // the line end before a boundary belongs to the boundary (RFC 2046 §5.1.1)
        assertEquals(List.of(new SieveMessage.Part("text/plain", "Grüße, softbreak"),
                new SieveMessage.Part("text/html", "<p>hello</p>"),
                new SieveMessage.Part("application/pdf", "")), m.parts());
        assertEquals(MESSAGE.substring(MESSAGE.indexOf("\r\n\r\n") + 4), m.rawBody());
        assertEquals(MESSAGE.length(), m.size());
        assertEquals(MESSAGE.indexOf("\r\n\r\n") + 4, m.headerLength());
    }

    @Test
    void theStoredViewIsTheSameAsTheInMemoryOneForTheSameBytes() throws Exception {
        ParsedSieveMessage stored = parsed(MESSAGE);
        MimeSieveMessage memory = new MimeSieveMessage(MESSAGE.getBytes(StandardCharsets.ISO_8859_1), "s@example.org",
                "u@example.com", "alias@example.com", ZonedDateTime.now());
        assertEquals(memory.headers(), stored.headers());
        assertEquals(memory.parts(), stored.parts());
        assertEquals(memory.rawBody(), stored.rawBody());
    }

    @Test
    void aMessageWithoutContentTypeIsOnePlainTextPart() throws Exception {
        ParsedSieveMessage m = parsed("Subject: plain\r\n\r\nhello\r\n");
        assertEquals(List.of(new SieveMessage.Part("text/plain", "hello\r\n")), m.parts());
    }
}
