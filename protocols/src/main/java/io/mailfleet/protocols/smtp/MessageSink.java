package io.mailfleet.protocols.smtp;

import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.mime.HeaderLimitScanner;
import io.mailfleet.core.mime.HeaderLimits;
import io.mailfleet.protocols.smtp.check.MessageCheckRun;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Turns DATA or BDAT bytes into the stored message, streaming into a {@link BlobWriter}: strict
 * CRLF line framing, dot-unstuffing (DATA only), bare LF/CR and line-length checks, the size
 * limit, the header limits (total header bytes and line length, the {@code Received:} header
 * included), the {@code Received:} header in front and, on submission, the privacy scrub of the header
 * section, and on every listener the removal of {@code Authentication-Results:} fields claiming this
 * server's authserv-id (RFC 8601 section 5: a forger must not plant our results). After the first problem nothing more is written, but input is still consumed to its end
 * so the reply comes at the right point of the conversation.
 */
final class MessageSink {

    /** RFC 5321 §4.5.3.1.6: 998 octets plus CRLF. */
    static final int MAX_LINE = 998;
    /** Staged bytes written out at once: bigger messages reach the writer in pieces of this size. */
    private static final int MAX_STAGED = 16 * 1024;
    private static final Set<String> SCRUBBED = Set.of("user-agent", "x-mailer", "x-originating-ip", "x-enigmail");

    enum Problem {
        SIZE(new SmtpReply(552, "5.3.4", "Message size exceeds fixed limit")),
        /** Postfix's wording for {@code header_size_limit}. */
        HEADER_SIZE(new SmtpReply(552, "5.3.4", "Message header size exceeds limit")),
        BARE_LF(new SmtpReply(550, "5.5.2", "Error: bare <LF> received")),
        BARE_CR(new SmtpReply(550, "5.5.2", "Error: bare <CR> received")),
        LINE_TOO_LONG(new SmtpReply(500, "5.5.2", "Error: line too long")),
        WRITE_ERROR(new SmtpReply(451, "4.3.0", "Error: queue file write error"));

        final SmtpReply reply;

        Problem(SmtpReply reply) {
            this.reply = reply;
        }
    }

    private final BlobWriter writer;
    private final boolean dataMode;
    private final long maxSize;
    private final boolean normalize;
    private final boolean scrub;
    private final HeaderLimitScanner headerScan;
    private final byte[] line = new byte[MAX_LINE + 2];
    private int lineLen;
    private boolean lineOverflow;
    private boolean pendingCr;
    /** The DATA command line itself ended in CRLF. */
    private boolean lastLineCrlf = true;
    private boolean inHeaders = true;
    private boolean droppingField;
    /**
     * Bytes staged for the writer: a fresh buffer per message, so it starts at the size of a typical one
     * and grows to {@link #MAX_STAGED} before anything is written out.
     */
    private ByteBuffer out = ByteBuffer.allocate(4 * 1024);
    private long size;
    private Problem problem;
    private MessageCheckRun observers;
    private final String authservId;

    /**
     * @param dataMode       true for DATA (dot-stuffed, ends at CRLF.CRLF), false for BDAT chunks
     * @param receivedHeader the complete {@code Received:} field with its CRLF
     * @param authservId     our authserv-id (the host name): Authentication-Results fields claiming it are dropped
     */
    MessageSink(BlobWriter writer, boolean dataMode, long maxSize, BareNewlinePolicy policy, boolean scrub,
                String receivedHeader, HeaderLimits headerLimits, String authservId) {
        this.authservId = authservId;
        this.writer = writer;
        this.dataMode = dataMode;
        this.maxSize = maxSize;
        this.normalize = policy == BareNewlinePolicy.NORMALIZE;
        this.scrub = scrub;
        byte[] h = receivedHeader.getBytes(StandardCharsets.UTF_8);
        this.headerScan = new HeaderLimitScanner(headerLimits);
        headerScan.feed(h, 0, h.length);
        put(h, 0, h.length);
        size = h.length;
    }

    /** Lets the end-of-data checks read the stored bytes as they are written. */
    void observedBy(MessageCheckRun run) {
        this.observers = run;
    }

    BlobWriter writer() {
        return writer;
    }

    Problem problem() {
        return problem;
    }

    /** Bytes of message content accepted so far (after unstuffing, with the Received header). */
    long size() {
        return size;
    }

    /**
     * DATA: consumes bytes from {@code in} up to and including the terminating CRLF.CRLF.
     *
     * @return true when the end of data was consumed
     */
    boolean feedDotted(ByteBuf in) {
        // one pass over the buffer, not one buffer call per byte
        int end = in.forEachByte(b -> !step(b));
        if (end < 0) {
            in.readerIndex(in.writerIndex());
            return false;
        }
        in.readerIndex(end + 1);
        return true;
    }

    /** BDAT: consumes exactly {@code n} bytes of chunk data (no dot handling). */
    void feedRaw(ByteBuf in, int n) {
        in.forEachByte(in.readerIndex(), n, b -> {
            step(b);
            return true;
        });
        in.skipBytes(n);
    }

    /** BDAT LAST: the message ends here, possibly without a final CRLF. */
    void endRaw() {
        if (pendingCr) {
            pendingCr = false;
            if (normalize) {
                endLine(false, true);
            } else {
                fail(Problem.BARE_CR);
            }
        }
        if (lineLen > 0 || lineOverflow) {
            endLine(false, false);
        }
    }

    /**
     * Writes what is staged; true when the whole message reached the writer without a problem,
     * otherwise the writer is aborted (the partial blob is deleted, not left for the collector).
     */
    boolean finish() {
        if (problem == null) {
            drain();
        }
        if (problem != null) {
            writer.abort();
        }
        return problem == null;
    }

    /** Processes one byte; true when it completed the DATA terminator. */
    private boolean step(byte b) {
        if (pendingCr) {
            pendingCr = false;
            if (b == '\n') {
                return endLine(true, true);
            }
            if (normalize) {
                endLine(false, true);
            } else {
                fail(Problem.BARE_CR);
                endLine(false, true);
            }
        }
        if (b == '\r') {
            pendingCr = true;
        } else if (b == '\n') {
            // only CRLF.CRLF ends DATA: a bare-LF line is content (and, by default, a rejection)
            if (!normalize) {
                fail(Problem.BARE_LF);
            }
            endLine(false, true);
        } else if (lineLen < line.length) {
            line[lineLen++] = b;
        } else {
            lineOverflow = true;
        }
        return false;
    }

    /**
     * Ends the buffered line.
     *
     * @param realCrlf true when the line ended with CRLF (only such a "." line ends DATA)
     * @param crlf     whether to store a CRLF after it
     */
    private boolean endLine(boolean realCrlf, boolean crlf) {
        // only <CRLF>.<CRLF> ends DATA: the "." line and the line before it must both end in CRLF,
        // so <LF>.<CRLF> and friends (SMTP smuggling) stay content
        boolean previousCrlf = lastLineCrlf;
        lastLineCrlf = realCrlf;
        if (dataMode && realCrlf && previousCrlf && !lineOverflow && lineLen == 1 && line[0] == '.') {
            lineLen = 0;
            return true;
        }
        int start = dataMode && lineLen > 0 && line[0] == '.' ? 1 : 0;
        int len = lineLen - start;
        boolean overflow = lineOverflow;
        lineLen = 0;
        lineOverflow = false;
        if (overflow || len > MAX_LINE) {
            fail(Problem.LINE_TOO_LONG);
            return false;
        }
        emit(start, len, crlf);
        return false;
    }

    private void emit(int start, int len, boolean crlf) {
        if (!headerScan.done()) {
            // what the client sent counts, scrubbed fields too: the limit bounds the work, not the result
            headerScan.feed(line, start, len);
            if (crlf) {
                headerScan.feed(CRLF, 0, 2);
            }
            if (headerScan.exceeded()) {
                fail(Problem.HEADER_SIZE);
            }
        }
        if (inHeaders) {
            if (len == 0) {
                inHeaders = false;
                droppingField = false;
            } else if (line[start] == ' ' || line[start] == '\t') {
                if (droppingField) {
                    return;
                }
            } else {
                int colon = indexOf(start, len, (byte) ':');
                if (colon < 0) {
                    inHeaders = false; // not a header line: the body began without a blank line
                    droppingField = false;
                } else {
                    String name = new String(line, start, colon - start, StandardCharsets.ISO_8859_1)
                            .trim().toLowerCase(Locale.ROOT);
                    droppingField = scrub && SCRUBBED.contains(name)
                            || name.equals("authentication-results") && claimsUs(colon + 1, start + len);
                    if (droppingField) {
                        return;
                    }
                }
            }
        }
        size += len + (crlf ? 2 : 0);
        if (size > maxSize) {
            fail(Problem.SIZE);
        }
        if (problem != null) {
            return;
        }
        put(line, start, len);
        if (crlf) {
            put(CRLF, 0, 2);
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * Whether the Authentication-Results value starting at {@code from} names our authserv-id. A value
     * whose id is not on the field's first line (folded right after the colon) counts as ours too: its
     * claim cannot be told, and a result from outside our trust boundary means nothing here anyway.
     */
    private boolean claimsUs(int from, int end) {
        int i = from;
        int depth = 0;
        while (i < end) {
            byte b = line[i];
            if (b == '(') {
                depth++;
            } else if (b == ')' && depth > 0) {
                depth--;
            } else if (depth == 0 && b != ' ' && b != '\t') {
                break;
            }
            i++;
        }
        int idStart = i;
        while (i < end && line[i] != ';' && line[i] != ' ' && line[i] != '\t' && line[i] != '(') {
            i++;
        }
        if (i == idStart) {
            return true;
        }
        String id = new String(line, idStart, i - idStart, StandardCharsets.ISO_8859_1);
        if (id.endsWith(".")) {
            id = id.substring(0, id.length() - 1);
        }
        return id.equalsIgnoreCase(authservId);
    }

    private int indexOf(int start, int len, byte b) {
        for (int i = start; i < start + len; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private void put(byte[] bytes, int off, int len) {
        if (out.remaining() < len && out.capacity() < MAX_STAGED) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_STAGED,
                    Math.max(out.capacity() * 2, out.position() + len)));
            out = bigger.put(out.flip());
        }
        if (out.remaining() < len) {
            drain();
            if (problem != null) {
                return;
            }
        }
        out.put(bytes, off, len);
    }

    private void drain() {
        out.flip();
        if (observers != null) {
            observers.observe(out);
        }
        try {
            while (out.hasRemaining()) {
                writer.write(out);
            }
        } catch (IOException | RuntimeException e) {
            fail(Problem.WRITE_ERROR);
        }
        out.clear();
    }

    private void fail(Problem p) {
        if (problem == null) {
            problem = p;
        }
    }
}
