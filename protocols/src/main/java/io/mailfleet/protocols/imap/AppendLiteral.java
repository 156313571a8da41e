package io.mailfleet.protocols.imap;

import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.mime.HeaderLimitScanner;
import io.mailfleet.protocols.flow.BlobUploads;
import io.mailfleet.protocols.flow.Demand;
import io.mailfleet.protocols.flow.PacedBlobWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One APPEND message literal (each of a MULTIAPPEND too) being received: its bytes go to the blob store
 * through a {@link PacedBlobWriter} of the listener's {@link BlobUploads}, so the store writes on the
 * upload threads and its pace is the {@link Demand} the session's read gate follows; the header limits
 * are checked as the bytes pass. Used from the channel's event loop.
 */
final class AppendLiteral {

    private static final Logger LOG = LoggerFactory.getLogger(AppendLiteral.class);

    /** Why a literal is refused while it streams; the command is answered with it once read. */
    static final String HEADER_TOO_BIG = "NO [LIMIT] Message header size exceeds limit";
    static final String CANNOT_STORE = "NO [SERVERBUG] Cannot store the message.";

    private final PacedBlobWriter writer;
    private final HeaderLimitScanner header;

    private AppendLiteral(PacedBlobWriter writer, HeaderLimitScanner header) {
        this.writer = writer;
        this.header = header;
    }

    /** Opens a new blob; fails when the store cannot create one. */
    static AppendLiteral open(BlobUploads uploads, ImapServices services) throws IOException {
        BlobWriter target = services.blobs().create();
        return new AppendLiteral(uploads.pace(target), new HeaderLimitScanner(services.headerLimits()));
    }

    /** The writer's demand: while it has none, the session reads no further. */
    Demand demand() {
        return writer;
    }

    /**
     * Hands the next received bytes to the writer; null when taken, else the refusal the command is
     * answered with (the blob is then already aborted and the rest of the literal is to be dropped).
     */
    String feed(ByteBuffer bytes) {
        header.feed(bytes);
        if (header.exceeded()) {
            writer.abort();
            return HEADER_TOO_BIG;
        }
        try {
            writer.write(bytes);
            return null;
        } catch (IOException e) {
            LOG.warn("APPEND write failed: {}", e.toString());
            writer.abort();
            return CANNOT_STORE;
        }
    }

    /** The literal is complete: the blob commits asynchronously once the queued writes are done. */
    Literal commit() {
        return Literal.stored(writer.commit(), writer.size());
    }

    /** The writer, for aborting a committed literal whose command is never run. */
    BlobWriter writer() {
        return writer;
    }

    /** Ends early: what was received is dropped and the partial blob deleted. */
    void abort() {
        writer.abort();
    }
}
