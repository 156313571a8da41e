package io.mailfleet.core.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Signs messages with DKIM (RFC 6376 rsa-sha256, RFC 8463 ed25519-sha256), relaxed/relaxed, reading the
 * message once as a stream (only the header section is buffered).
 */
public final class DkimSigner {
    /** Header fields signed when present; From is always signed once more than it occurs (oversigning). */
    public static final List<String> SIGNED_HEADERS = List.of("From", "To", "Cc", "Subject", "Date", "Message-ID",
            "Reply-To", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "In-Reply-To", "References");

    private final DkimSigningKey key;
    private final Clock clock;

    public DkimSigner(DkimSigningKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    /**
     * Reads the whole message and returns the {@code DKIM-Signature} field to prepend, folded, ending
     * with CRLF.
     *
     * @throws DkimException when the message has no From field or its header section is malformed
     */
    public String sign(InputStream message) throws IOException, DkimException {
        List<HeaderField> headers = HeaderSection.read(message);
        String bh = bodyHash(message);
        List<String> h = headersToSign(headers);
        String unsigned = "DKIM-Signature: v=1; a=" + key.algorithm().tag() + "; c=relaxed/relaxed;\r\n"
                + "\td=" + key.domain() + "; s=" + key.selector() + "; t=" + clock.millis() / 1000 + ";\r\n"
                + "\th=" + foldList(h) + ";\r\n"
                + "\tbh=" + bh + ";\r\n"
                + "\tb=";
        byte[] data = signedData(headers, h, Canonicalization.RELAXED, "DKIM-Signature", unsigned);
        String b = Base64.getEncoder().encodeToString(signBytes(key, data));
        return unsigned + fold(b) + "\r\n";
    }

    /** The relaxed body hash of the rest of {@code message}, base64 (bh=). */
    static String bodyHash(InputStream message) throws IOException {
        Canonicalization.BodyHasher body = Canonicalization.RELAXED.bodyHasher(sha256());
        byte[] chunk = new byte[16384];
        int n;
        while ((n = message.read(chunk)) != -1) {
            body.update(chunk, 0, n);
        }
        return Base64.getEncoder().encodeToString(body.finish());
    }

    /**
     * The h= list of {@link #SIGNED_HEADERS} present, each as often as it occurs, From once more
     * (shared by the DKIM signature and the ARC-Message-Signature).
     */
    static List<String> headersToSign(List<HeaderField> headers) throws DkimException {
        Map<String, Integer> counts = new HashMap<>();
        for (HeaderField f : headers) {
            counts.merge(f.lowerName(), 1, Integer::sum);
        }
        if (!counts.containsKey("from")) {
            throw new DkimException("message has no From header field; it cannot be DKIM-signed");
        }
        List<String> h = new ArrayList<>();
        for (String name : SIGNED_HEADERS) {
            String lower = name.toLowerCase(Locale.ROOT);
            int times = counts.getOrDefault(lower, 0) + (lower.equals("from") ? 1 : 0);
            for (int i = 0; i < times; i++) {
                h.add(lower);
            }
        }
        return h;
    }

    /** The header hash input (RFC 6376 §3.7): the h= fields bottom-up, then the signature field without CRLF. */
    static byte[] signedData(List<HeaderField> headers, List<String> h, Canonicalization canon, String fieldName,
                             String signatureField) {
        Map<String, Integer> used = new HashMap<>();
        StringBuilder sb = new StringBuilder();
        for (String name : h) {
            String lower = name.strip().toLowerCase(Locale.ROOT);
            int skip = used.getOrDefault(lower, 0);
            for (int i = headers.size() - 1; i >= 0; i--) {
                if (headers.get(i).lowerName().equals(lower) && skip-- == 0) {
                    sb.append(canon.header(headers.get(i)));
                    break;
                }
            }
            used.merge(lower, 1, Integer::sum);
        }
        HeaderField sig = new HeaderField(fieldName, signatureField);
        String canonicalSig = canon.header(sig);
        sb.append(canonicalSig, 0, canonicalSig.length() - 2);
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] signBytes(DkimSigningKey key, byte[] data) throws DkimException {
        try {
            if (key.algorithm() == DkimAlgorithm.RSA_SHA256) {
                Signature s = Signature.getInstance("SHA256withRSA");
                s.initSign(key.privateKey());
                s.update(data);
                return s.sign();
            }
            // RFC 8463: Ed25519 (pure) signs the SHA-256 hash of the header data
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key.privateKey());
            s.update(sha256().digest(data));
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new DkimException("signing with the key of " + key.selector() + "._domainkey." + key.domain()
                    + " failed: " + e.getMessage(), e);
        }
    }

    static String foldList(List<String> names) {
        StringBuilder sb = new StringBuilder();
        int lineLen = 3;
        for (int i = 0; i < names.size(); i++) {
            String part = (i == 0 ? "" : ":") + names.get(i);
            if (lineLen + part.length() > 70) {
                sb.append("\r\n\t ");
                lineLen = 2;
            }
            sb.append(part);
            lineLen += part.length();
        }
        return sb.toString();
    }

    static String fold(String base64) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < base64.length(); i += 70) {
            if (i > 0) {
                sb.append("\r\n\t ");
            }
            sb.append(base64, i, Math.min(base64.length(), i + 70));
        }
        return sb.toString();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
