package io.mailfleet.core.auth.dmarc;

/**
 * The DMARC evaluation of one message (RFC 7489 section 6.6).
 *
 * @param status      pass, fail, none (no policy), temperror or permerror (no single From domain)
 * @param fromDomain  the RFC5322.From domain, or null
 * @param published   the policy that applied to the From domain (p, sp or np), or null without a record
 * @param disposition what the receiver should do: NONE unless the message failed, after pct= sampling
 * @param detail      why, for logs and comments
 */
public record DmarcResult(Status status, String fromDomain, DmarcRecord.Policy published,
                          DmarcRecord.Policy disposition, String detail) {

    /** RFC 8601 dmarc= values. */
    public enum Status {
        PASS, FAIL, NONE, TEMPERROR, PERMERROR;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
