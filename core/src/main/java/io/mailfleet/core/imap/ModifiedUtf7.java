package io.mailfleet.core.imap;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Modified UTF-7 mailbox names (RFC 3501 §5.1.3). Decoding is strict and names what is wrong. */
public final class ModifiedUtf7 {

    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private ModifiedUtf7() {
    }

    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c == '&' ? "&-" : String.valueOf(c));
                i++;
                continue;
            }
            int start = i;
            while (i < name.length() && (name.charAt(i) < 0x20 || name.charAt(i) > 0x7e)) {
                i++;
            }
            byte[] utf16 = name.substring(start, i).getBytes(StandardCharsets.UTF_16BE);
            out.append('&').append(ENCODER.encodeToString(utf16).replace('/', ',')).append('-');
        }
        return out.toString();
    }

    /** Decodes a wire name; throws {@link IllegalArgumentException} for malformed modified UTF-7. */
    public static String decode(String wire) {
        StringBuilder out = new StringBuilder(wire.length());
        int i = 0;
        while (i < wire.length()) {
            char c = wire.charAt(i);
            if (c > 0x7e || c < 0x20) {
                throw new IllegalArgumentException("mailbox name has a non-ASCII character: use modified UTF-7");
            }
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = wire.indexOf('-', i + 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated modified UTF-7 sequence in mailbox name");
            }
            if (end == i + 1) {
                out.append('&');
            } else {
                String b64 = wire.substring(i + 1, end).replace(',', '/');
                byte[] bytes;
                try {
                    bytes = DECODER.decode(b64);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("invalid modified UTF-7 in mailbox name: " + wire);
                }
                if (bytes.length == 0 || bytes.length % 2 != 0 || b64.length() % 4 == 1) {
                    throw new IllegalArgumentException("invalid modified UTF-7 in mailbox name: " + wire);
                }
                String decoded;
                try {
                    decoded = StandardCharsets.UTF_16BE.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes)).toString();
                } catch (CharacterCodingException e) {
                    throw new IllegalArgumentException("modified UTF-7 encodes an unpaired surrogate: " + wire);
                }
                for (int k = 0; k < decoded.length(); k++) {
                    char d = decoded.charAt(k);
                    if (d >= 0x20 && d <= 0x7e) {
                        throw new IllegalArgumentException("modified UTF-7 encodes a printable ASCII character: " + wire);
                    }
                }
                out.append(decoded);
            }
            i = end + 1;
        }
        return out.toString();
    }
}
