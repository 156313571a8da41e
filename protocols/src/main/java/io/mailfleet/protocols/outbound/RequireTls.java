package io.mailfleet.protocols.outbound;

/**
 * RFC 8689 REQUIRETLS on relay: a tagged message leaves only at a TLS level that authenticates the
 * server ({@code verify}/{@code secure}, which an MTA-STS {@code enforce} policy raises a route to),
 * to a host that offers REQUIRETLS after STARTTLS, with {@code REQUIRETLS} on MAIL FROM. Anything
 * else fails the recipients permanently (a DSN to the sender), never a relay without the guarantee.
 */
final class RequireTls {

    /** No authenticated TLS for the route (RFC 8689 §4.2.1): "Encryption needed". */
    static final String NOT_VERIFIED = "5.7.10";
    /** Verified TLS, but no host of the destination offers REQUIRETLS (RFC 8689 §6). */
    static final String NOT_SUPPORTED = "5.7.30";

    private RequireTls() {
    }

    /** True when {@code level} proves the server's identity, as REQUIRETLS demands. */
    static boolean verifies(TlsPolicy level) {
        return level.authenticates();
    }

    /** Why the planned delivery cannot carry a REQUIRETLS message, or null when it can. */
    static String refusal(TransportSecurity.Plan plan, String destination) {
        if (plan instanceof TransportSecurity.Plan.Defer defer) {
            return "REQUIRETLS: " + defer.reason();
        }
        TlsPolicy level = ((TransportSecurity.Plan.Go) plan).level();
        return verifies(level) ? null : unverifiedRoute(destination, level);
    }

    /** Why a route at {@code level} cannot carry a REQUIRETLS message. */
    static String unverifiedRoute(String destination, TlsPolicy level) {
        return "REQUIRETLS: message must be relayed over verified TLS, but the TLS policy for " + destination
                + " is " + level.configName() + " (needs an MTA-STS enforce policy, or the verify or secure level)";
    }

    /**
     * Final status of a REQUIRETLS delivery that no host took: a TLS problem or a host without
     * REQUIRETLS becomes permanent; other trouble (connection refused, 4xx) stays temporary.
     */
    static String permanentStatus(String lastStatus) {
        if (NOT_SUPPORTED.equals(lastStatus)) {
            return NOT_SUPPORTED;
        }
        if ("4.7.4".equals(lastStatus) || "4.7.5".equals(lastStatus) || NOT_VERIFIED.equals(lastStatus)) {
            return NOT_VERIFIED;
        }
        return null;
    }
}
