package io.mailfleet.core.auth.results;

import io.mailfleet.core.auth.dmarc.DmarcResult;
import io.mailfleet.core.auth.spf.SpfOutcome;
import io.mailfleet.core.dkim.ArcResult;
import io.mailfleet.core.dkim.DkimResult;
import io.mailfleet.core.mime.FieldText;

import java.util.List;

/**
 * The authentication results of one inbound message (RFC 8601), the structured form behind the
 * {@code Authentication-Results:} field Mailfleet prepends. Later stages (Sieve, spam scoring) read the
 * field; this is its single writer.
 *
 * @param authservId     this server's authserv-id (its host name)
 * @param spf            the SPF outcome of the transaction, or null when SPF was not checked
 * @param dkim           one result per verified DKIM-Signature, top to bottom; empty for none
 * @param dkimNotVerified signatures beyond the verification limit
 * @param dmarc          the DMARC evaluation, or null when DMARC is off
 * @param arc            the ARC chain validation, or null when ARC is off
 */
public record AuthenticationResults(String authservId, SpfOutcome spf, List<DkimResult> dkim, int dkimNotVerified,
                                    DmarcResult dmarc, ArcOutcome arc) {

    public AuthenticationResults {
        dkim = List.copyOf(dkim);
    }

    /** Results without ARC. */
    public AuthenticationResults(String authservId, SpfOutcome spf, List<DkimResult> dkim, int dkimNotVerified,
                                 DmarcResult dmarc) {
        this(authservId, spf, dkim, dkimNotVerified, dmarc, null);
    }

    /** Results without DMARC. */
    public AuthenticationResults(String authservId, SpfOutcome spf, List<DkimResult> dkim, int dkimNotVerified) {
        this(authservId, spf, dkim, dkimNotVerified, null);
    }

    /** The complete header field, folded one result per line, ending in CRLF. */
    public String field() {
        StringBuilder b = new StringBuilder("Authentication-Results: ").append(authservId);
        if (spf != null) {
            b.append(";\r\n\tspf=").append(spf.result().keyword())
                    .append(spf.heloIdentity() ? " smtp.helo=" : " smtp.mailfrom=").append(value(spf.identity()));
        }
        if (dkim.isEmpty()) {
            b.append(";\r\n\tdkim=none");
            if (dkimNotVerified > 0) {
                b.append(" (").append(dkimNotVerified).append(" signatures not verified)");
            }
        }
        for (DkimResult r : dkim) {
            b.append(";\r\n\tdkim=").append(r.status().keyword()).append(" (").append(comment(r)).append(')');
            if (r.domain() != null) {
                b.append(" header.d=").append(value(r.domain()));
            }
            if (r.identity() != null) {
                b.append(" header.i=").append(value(r.identity()));
            }
            if (r.selector() != null) {
                b.append(" header.s=").append(value(r.selector()));
            }
            if (r.algorithm() != null) {
                b.append(" header.a=").append(value(r.algorithm()));
            }
            if (r.bPrefix() != null && !r.bPrefix().isEmpty()) {
                b.append(" header.b=").append(value(r.bPrefix()));
            }
        }
        if (dmarc != null) {
            b.append(";\r\n\tdmarc=").append(dmarc.status().keyword()).append(" (");
            if (dmarc.published() != null) {
                b.append("p=").append(dmarc.published().keyword()).append(" dis=")
                        .append(dmarc.disposition().keyword()).append("; ");
            }
            if (arc != null && arc.overridingSealer() != null) {
                // the local policy override (RFC 7489 6.7), noted as OpenDMARC and Gmail do in the comment
                b.append("arc=pass, trusted sealer ").append(FieldText.asciiComment(arc.overridingSealer()))
                        .append(" overrides the policy; ");
            }
            b.append(FieldText.asciiComment(dmarc.detail())).append(')');
            if (dmarc.fromDomain() != null) {
                b.append(" header.from=").append(value(dmarc.fromDomain()));
            }
        }
        if (arc != null) {
            ArcResult r = arc.result();
            b.append(";\r\n\tarc=").append(r.status().keyword()).append(" (").append(FieldText.asciiComment(r.detail()))
                    .append(')');
            if (r.status() == ArcResult.Status.PASS) {
                b.append(" header.oldest-pass=").append(r.oldestPass());
            }
            if (arc.remoteIp() != null) {
                b.append(" smtp.remote-ip=").append(value(arc.remoteIp()));
            }
        }
        return b.append("\r\n").toString();
    }

    private String comment(DkimResult r) {
        StringBuilder c = new StringBuilder(r.detail());
        if (r.bodyLength() >= 0) {
            c.append("; body length limit l=").append(r.bodyLength());
        }
        if (r.testing()) {
            c.append("; key in test mode");
        }
        if (r == dkim.get(dkim.size() - 1) && dkimNotVerified > 0) {
            c.append("; ").append(dkimNotVerified).append(" more signatures not verified");
        }
        return FieldText.asciiComment(c.toString());
    }

    /** A property value: as is when it is a plain token or address, else a quoted-string (RFC 8601 §2.2). */
    static String value(String v) {
        boolean plain = !v.isEmpty();
        for (char c : v.toCharArray()) {
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "@.-_+".indexOf(c) >= 0)) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return v;
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                continue;
            }
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }
}
