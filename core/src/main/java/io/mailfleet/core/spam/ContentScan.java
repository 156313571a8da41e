package io.mailfleet.core.spam;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the built-in scorer learns from a message while it streams in, in one pass and bounded memory:
 * the top-level header section (up to {@link #MAX_HEADER} bytes), whether the GTUBE test string occurs
 * anywhere, and the file names of attachments (from {@code filename=} / {@code name=} parameters in any
 * part's header lines). Lines longer than {@link #MAX_LINE} are looked at only in their first bytes.
 */
public final class ContentScan {

    /** The Generic Test for Unsolicited Bulk Email: SpamAssassin's and Rspamd's test string. */
    public static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    static final int MAX_HEADER = 256 * 1024;
    static final int MAX_LINE = 4096;
    private static final int MAX_NAMES = 100;
    private static final Pattern FILE_NAME = Pattern.compile("(?i)\\b(?:file)?name\\*?(?:\\*\\d+\\*?)?=\\s*\"?([^\";\\r\\n]+)");
    private static final byte[] GTUBE_BYTES = GTUBE.getBytes(StandardCharsets.US_ASCII);

    private final StringBuilder header = new StringBuilder();
    private final StringBuilder line = new StringBuilder();
    private final List<String> fileNames = new ArrayList<>();
    private boolean inHeader = true;
    private boolean headerTruncated;
    private boolean gtube;
    /** How many bytes of GTUBE the stream currently ends with (a KMP-free scan: GTUBE has no self-overlap). */
    private int gtubeMatched;

    /** Reads the next bytes of the message, in order. */
    public void feed(ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate();
        while (b.hasRemaining()) {
            byte c = b.get();
            if (!gtube) {
                if (c == GTUBE_BYTES[gtubeMatched]) {
                    gtubeMatched++;
                    if (gtubeMatched == GTUBE_BYTES.length) {
                        gtube = true;
                    }
                } else {
                    gtubeMatched = c == GTUBE_BYTES[0] ? 1 : 0;
                }
            }
            if (c == '\n') {
                endLine();
            } else if (c != '\r' && line.length() < MAX_LINE) {
                line.append((char) (c & 0xff));
            }
        }
    }

    private void endLine() {
        String l = line.toString();
        line.setLength(0);
        if (inHeader) {
            if (l.isEmpty()) {
                inHeader = false;
                return;
            }
            if (header.length() + l.length() + 2 <= MAX_HEADER) {
                header.append(l).append("\r\n");
            } else {
                headerTruncated = true;
            }
            return;
        }
        if (fileNames.size() < MAX_NAMES && (l.regionMatches(true, 0, "Content-", 0, 8) || l.startsWith(" ")
                || l.startsWith("\t"))) {
            Matcher m = FILE_NAME.matcher(l);
            if (m.find()) {
                fileNames.add(m.group(1).strip().toLowerCase(Locale.ROOT));
            }
        }
    }

    /** The top-level header section as it arrived (lines end in CRLF), at most {@link #MAX_HEADER} bytes. */
    public String header() {
        return header.toString();
    }

    public boolean headerTruncated() {
        return headerTruncated;
    }

    /** Whether the GTUBE string occurred. */
    public boolean gtube() {
        return gtube;
    }

    /** Attachment file names seen in part headers, lower case, at most 100. */
    public List<String> fileNames() {
        return List.copyOf(fileNames);
    }
}
