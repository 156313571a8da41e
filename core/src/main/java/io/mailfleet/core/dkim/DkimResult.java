package io.mailfleet.core.dkim;

/**
 * The outcome of one DKIM-Signature field (RFC 8601 dkim= values).
 *
 * @param domain     the d= domain (lower case), or null when the field could not be parsed that far
 * @param selector   the s= selector, or null
 * @param status     pass, fail, permerror or temperror
 * @param detail     why, for logs and Authentication-Results comments
 * @param identity   the i= identity ({@code @d} when absent), or null when not parsed
 * @param algorithm  the a= value as written, or null
 * @param bPrefix    the first 8 characters of b= (RFC 6008 header.b), or null
 * @param bodyLength the l= body length limit, or -1 when the whole body is signed
 * @param testing    the key record says t=y: the domain is testing DKIM
 */
public record DkimResult(String domain, String selector, Status status, String detail, String identity,
                         String algorithm, String bPrefix, long bodyLength, boolean testing) {

    /** RFC 8601 result values for DKIM. */
    public enum Status {
        PASS, FAIL, PERMERROR, TEMPERROR;

        /** The RFC 8601 keyword. */
        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A result with only domain, selector, status and detail known. */
    public DkimResult(String domain, String selector, Status status, String detail) {
        this(domain, selector, status, detail, null, null, null, -1, false);
    }

    public boolean passed() {
        return status == Status.PASS;
    }

    /** This result with another status and detail, everything else kept. */
    DkimResult with(Status s, String why) {
        return new DkimResult(domain, selector, s, why, identity, algorithm, bPrefix, bodyLength, testing);
    }

    /** This result marked as coming from a key in testing mode. */
    DkimResult testing(boolean t) {
        return new DkimResult(domain, selector, status, detail, identity, algorithm, bPrefix, bodyLength, t);
    }
}
