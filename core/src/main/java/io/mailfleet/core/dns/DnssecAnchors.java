package io.mailfleet.core.dns;

import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Record;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The DNSSEC trust anchors a validating resolver starts from: DS or DNSKEY records in zone-file
 * format (as unbound's {@code root.key}). The default is the IANA root zone's KSK-2017 and KSK-2024.
 */
public final class DnssecAnchors {

    private static final String ROOT_RESOURCE = "root-anchors.txt";

    private final byte[] zoneText;
    private final String source;

    private DnssecAnchors(byte[] zoneText, String source) {
        this.zoneText = zoneText;
        this.source = source;
    }

    /** The IANA root anchors shipped with Mailfleet. */
    public static DnssecAnchors root() {
        try (InputStream in = Objects.requireNonNull(DnssecAnchors.class.getResourceAsStream(ROOT_RESOURCE),
                ROOT_RESOURCE)) {
            return of(in.readAllBytes(), "IANA root trust anchors (built in)");
        } catch (IOException e) {
            throw new IllegalStateException("built-in root trust anchors unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * The anchors of a file.
     *
     * @throws IllegalArgumentException naming the file when it is unreadable or holds no DS/DNSKEY record
     */
    public static DnssecAnchors file(Path file) {
        try {
            return of(Files.readAllBytes(file), "trust anchor file " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("trust anchor file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Anchors from zone-file text (tests). */
    public static DnssecAnchors text(String zoneText) {
        return of(zoneText.getBytes(java.nio.charset.StandardCharsets.US_ASCII), "trust anchors given in code");
    }

    private static DnssecAnchors of(byte[] text, String source) {
        int anchors = 0;
        // Re-written with explicit TTLs: anchor files (unbound's root.key) often omit them.
        StringBuilder normalized = new StringBuilder();
        try (Master m = new Master(new ByteArrayInputStream(text), org.xbill.DNS.Name.root, 86400)) {
            m.disableIncludes();
            for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
                if (r instanceof DSRecord || r instanceof DNSKEYRecord) {
                    anchors++;
                    normalized.append(r).append('\n');
                } else {
                    throw new IllegalArgumentException(source + ": " + r + " is not a DS or DNSKEY record");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not valid zone-file text: " + e.getMessage(), e);
        }
        if (anchors == 0) {
            throw new IllegalArgumentException(source + " holds no DS or DNSKEY record");
        }
        return new DnssecAnchors(normalized.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII), source);
    }

    /** The records as zone-file text, for {@code ValidatingResolver.loadTrustAnchors}. */
    InputStream open() {
        return new ByteArrayInputStream(zoneText);
    }

    @Override
    public String toString() {
        return source;
    }
}
