package io.mailfleet.core.auth.dmarc;

/**
 * The DMARC evaluation of one message (RFC 7489 section 6.6).
 *
 * @param status      pass, fail, none (no policy), temperror or permerror (no single From domain)
 * @param fromDomain  the RFC5322.From domain, or null
 * @param published   the policy that applied to the From domain (p, sp or np), or null without a record
 * @param disposition what the receiver should do: NONE unless the message failed, after pct= sampling
 * @param detail      why, for logs and comments
 * @param policyDomain the domain whose {@code _dmarc} record applied (the From or its organizational
 *                     domain), or null without a record: the domain aggregate reports are about
 * @param dkimAligned  an aligned DKIM signature passed
 * @param spfAligned   SPF passed for an aligned identity
 */
public record DmarcResult(Status status, String fromDomain, DmarcRecord.Policy published,
                          DmarcRecord.Policy disposition, String detail, String policyDomain,
                          boolean dkimAligned, boolean spfAligned) {

    /** A result without a record that applied (none, temperror, permerror). */
    public DmarcResult(Status status, String fromDomain, DmarcRecord.Policy published,
                       DmarcRecord.Policy disposition, String detail) {
        this(status, fromDomain, published, disposition, detail, null, false, false);
    }

    /** This result with another disposition (what the receiver finally did). */
    public DmarcResult withDisposition(DmarcRecord.Policy applied) {
        return new DmarcResult(status, fromDomain, published, applied, detail, policyDomain, dkimAligned, spfAligned);
    }

    /** RFC 8601 dmarc= values. */
    public enum Status {
        PASS, FAIL, NONE, TEMPERROR, PERMERROR;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
