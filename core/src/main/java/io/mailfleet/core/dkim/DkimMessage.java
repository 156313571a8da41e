package io.mailfleet.core.dkim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A message as DKIM verification needs it after one streaming read ({@link DkimStream}): its header
 * fields, its signatures (parsed, or already decided when they did not parse) with their body hashes.
 */
public final class DkimMessage {

    private final List<HeaderField> headers;
    private final List<Object> signatures;
    private final Map<DkimSignature, byte[]> bodyHashes;
    private final int notVerified;
    private final Map<HeaderField, Object> arcMessageSignatures;
    private final String arcUnreadable;
    private Map<String, List<HeaderField>> byName;

    DkimMessage(List<HeaderField> headers, List<Object> signatures, Map<DkimSignature, byte[]> bodyHashes,
                int notVerified) {
        this(headers, signatures, bodyHashes, notVerified, Map.of(), null);
    }

    /**
     * @param arcMessageSignatures each ARC-Message-Signature field parsed ({@link DkimSignature}) or the
     *                             {@link DkimResult} of one that did not parse
     * @param arcUnreadable        why the ARC chain fails before it is looked at (more fields than 50 sets
     *                             hold, a header section over the bound), or null
     */
    DkimMessage(List<HeaderField> headers, List<Object> signatures, Map<DkimSignature, byte[]> bodyHashes,
                int notVerified, Map<HeaderField, Object> arcMessageSignatures, String arcUnreadable) {
        this.headers = headers;
        this.signatures = signatures;
        this.bodyHashes = bodyHashes;
        this.notVerified = notVerified;
        this.arcMessageSignatures = arcMessageSignatures;
        this.arcUnreadable = arcUnreadable;
    }

    Map<HeaderField, Object> arcMessageSignatures() {
        return arcMessageSignatures;
    }

    String arcUnreadable() {
        return arcUnreadable;
    }

    /** No DKIM-Signature field at all (RFC 8601 dkim=none). */
    public boolean unsigned() {
        return signatures.isEmpty() && notVerified == 0;
    }

    /** Signatures beyond the configured limit, not verified. */
    public int notVerified() {
        return notVerified;
    }

    /** The values of the header fields named {@code name} (case-insensitive), top to bottom, unfolded. */
    public List<String> fieldValues(String name) {
        List<String> out = new ArrayList<>();
        for (HeaderField f : headers) {
            if (f.name().equalsIgnoreCase(name)) {
                out.add(f.rawValue().replace("\r\n", "").strip());
            }
        }
        return out;
    }

    List<HeaderField> headers() {
        return headers;
    }

    /**
     * The header section as read (the fields kept for verification, folding included, CRLF line ends),
     * without the blank line; ISO-8859-1 text, one char per byte. What a DMARC failure report quotes.
     */
    public String headerText() {
        StringBuilder b = new StringBuilder();
        for (HeaderField f : headers) {
            b.append(f.raw()).append("\r\n");
        }
        return b.toString();
    }

    List<Object> signatures() {
        return signatures;
    }

    byte[] bodyHash(DkimSignature s) {
        return bodyHashes.get(s);
    }

    /** Fields by lower-case name, each list top to bottom, for picking h= fields bottom-up. */
    Map<String, List<HeaderField>> byName() {
        if (byName != null) {
            return byName;
        }
        Map<String, List<HeaderField>> m = new HashMap<>();
        for (HeaderField f : headers) {
            m.computeIfAbsent(f.lowerName(), k -> new ArrayList<>()).add(f);
        }
        byName = m;
        return m;
    }
}
