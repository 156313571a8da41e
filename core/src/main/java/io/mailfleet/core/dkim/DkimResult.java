package io.mailfleet.core.dkim;

/**
 * The outcome of one DKIM-Signature field (RFC 8601 dkim= values).
 *
 * @param domain   the d= domain, or null when the field could not be parsed that far
 * @param selector the s= selector, or null
 * @param status   pass, fail, permerror or temperror
 * @param detail   why, for logs and Authentication-Results comments
 */
public record DkimResult(String domain, String selector, Status status, String detail) {
    /** RFC 8601 result values for DKIM. */
    public enum Status { PASS, FAIL, PERMERROR, TEMPERROR }

    public boolean passed() {
        return status == Status.PASS;
    }
}
