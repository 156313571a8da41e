package io.mailfleet.core.imap;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeUtility;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;

/** Content-Transfer-Encoding decoding as a stream (IMAP BINARY, RFC 3516). */
public final class ContentDecoding {

    private static final Set<String> IDENTITY = Set.of("7bit", "8bit", "binary");
    private static final Set<String> KNOWN = Set.of("7bit", "8bit", "binary", "base64", "quoted-printable");

    private ContentDecoding() {
    }

    /** True when {@code encoding} (null means 7bit) can be decoded. */
    public static boolean known(String encoding) {
        return encoding == null || KNOWN.contains(encoding.trim().toLowerCase(Locale.ROOT));
    }

    /** {@code in} decoded on the fly; {@link IllegalArgumentException} for an unknown encoding. */
    public static InputStream decode(InputStream in, String encoding) throws IOException {
        String e = encoding == null ? "7bit" : encoding.trim().toLowerCase(Locale.ROOT);
        if (IDENTITY.contains(e)) {
            return in;
        }
        if (!KNOWN.contains(e)) {
            throw new IllegalArgumentException("unknown content transfer encoding " + encoding);
        }
        if (e.equals("quoted-printable")) {
            return new QuotedPrintableInputStream(in);
        }
        try {
            return MimeUtility.decode(in, e);
        } catch (MessagingException ex) {
            throw new IOException("cannot decode " + encoding + ": " + ex.getMessage(), ex);
        }
    }

    /** Octets {@code in} decodes to, read through once and closed. */
    public static long decodedSize(InputStream in, String encoding) throws IOException {
        try (InputStream d = decode(in, encoding)) {
            byte[] buf = new byte[16 * 1024];
            long n = 0;
            int r;
            while ((r = d.read(buf)) > 0) {
                n += r;
            }
            return n;
        }
    }
}
