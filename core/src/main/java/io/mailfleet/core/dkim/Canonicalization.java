package io.mailfleet.core.dkim;

import java.security.MessageDigest;
import java.util.Locale;

/** RFC 6376 §3.4 header and body canonicalization algorithms. */
public enum Canonicalization {
    SIMPLE, RELAXED;

    static Canonicalization parse(String s) throws DkimException {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "simple" -> SIMPLE;
            case "relaxed" -> RELAXED;
            default -> throw new DkimException("unknown canonicalization: " + s);
        };
    }

    /** The canonical form of one header field including its trailing CRLF (ISO-8859-1 text). */
    String header(HeaderField field) {
        if (this == SIMPLE) {
            return field.raw() + "\r\n";
        }
        return relaxedHeader(field.name(), field.rawValue()) + "\r\n";
    }

    static String relaxedHeader(String name, String rawValue) {
        String unfolded = rawValue.replace("\r\n", "").replace("\n", "").replace("\r", "");
        StringBuilder v = new StringBuilder(unfolded.length());
        boolean space = false;
        for (int i = 0; i < unfolded.length(); i++) {
            char c = unfolded.charAt(i);
            if (c == ' ' || c == '\t') {
                space = true;
            } else {
                if (space && v.length() > 0) {
                    v.append(' ');
                }
                space = false;
                v.append(c);
            }
        }
        return name.strip().toLowerCase(Locale.ROOT) + ":" + v;
    }

    /** A streaming body canonicalizer feeding a digest; constant memory whatever the body size. */
    BodyHasher bodyHasher(MessageDigest digest) {
        return new BodyHasher(digest, this == RELAXED, -1);
    }

    /** As {@link #bodyHasher(MessageDigest)}, hashing only the first {@code limit} canonical octets (l=); -1 for all. */
    BodyHasher bodyHasher(MessageDigest digest, long limit) {
        return new BodyHasher(digest, this == RELAXED, limit);
    }

    /** Byte-at-a-time state machine: bare LF counts as CRLF, trailing empty lines are dropped. */
    static final class BodyHasher {
        private final MessageDigest digest;
        private final boolean relaxed;
        private final byte[] buf = new byte[8192];
        private int used;
        private boolean pendingCr;
        private boolean pendingSpace;
        private boolean lineHasContent;
        private long emptyLines;
        private boolean anyOutput;
        private final long limit;
        private long length;

        BodyHasher(MessageDigest digest, boolean relaxed, long limit) {
            this.digest = digest;
            this.relaxed = relaxed;
            this.limit = limit;
        }

        /** Octets of the whole canonical body so far (beyond an l= limit too). */
        long canonicalLength() {
            return length;
        }

        void update(byte[] data, int off, int len) {
            for (int i = off; i < off + len; i++) {
                update(data[i]);
            }
        }

        void update(byte b) {
            if (pendingCr) {
                pendingCr = false;
                if (b == '\n') {
                    endLine();
                    return;
                }
                content((byte) '\r');
            }
            if (b == '\r') {
                pendingCr = true;
            } else if (b == '\n') {
                endLine();
            } else if (relaxed && (b == ' ' || b == '\t')) {
                pendingSpace = true;
            } else {
                content(b);
            }
        }

        private void content(byte b) {
            if (!lineHasContent) {
                for (; emptyLines > 0; emptyLines--) {
                    emit((byte) '\r');
                    emit((byte) '\n');
                }
                lineHasContent = true;
            }
            if (pendingSpace) {
                emit((byte) ' ');
                pendingSpace = false;
            }
            emit(b);
        }

        private void endLine() {
            if (lineHasContent) {
                emit((byte) '\r');
                emit((byte) '\n');
            } else {
                emptyLines++;
            }
            lineHasContent = false;
            pendingSpace = false;
        }

        private void emit(byte b) {
            anyOutput = true;
            if (limit >= 0 && length++ >= limit) {
                return;
            }
            if (limit < 0) {
                length++;
            }
            if (used == buf.length) {
                digest.update(buf, 0, used);
                used = 0;
            }
            buf[used++] = b;
        }

        /** Completes the body (adding the final CRLF of an unterminated last line) and returns the hash. */
        byte[] finish() {
            if (pendingCr) {
                pendingCr = false;
                content((byte) '\r');
            }
            if (lineHasContent) {
                endLine();
            }
            if (!relaxed && !anyOutput) {
                emit((byte) '\r');
                emit((byte) '\n');
            }
            digest.update(buf, 0, used);
            used = 0;
            return digest.digest();
        }
    }
}
