package io.mailfleet.core.tlsrpt;

import java.util.List;
import java.util.Objects;

/**
 * What one attempt to establish a session (or to fetch a policy) with a policy domain's MX proved,
 * as TLS-RPT counts it.
 *
 * @param policyDomain  the recipient domain whose policy applied
 * @param atMillis      when
 * @param policyType    {@code sts}, {@code tlsa} or {@code no-policy-found}
 * @param policyStrings the policy as RFC 8460 policy-string lines; empty for no-policy-found
 * @param mxHosts       the policy's mx patterns; empty for no-policy-found
 * @param resultType    {@link TlsResultType#text()} of the failure, or "" for a successful TLS session
 * @param mxHost        the receiving MX host name, or "" (a policy fetch failure)
 * @param receivingIp   the receiving address, or ""
 * @param reasonCode    a short free-text failure reason, or ""
 */
public record TlsSessionOutcome(String policyDomain, long atMillis, String policyType, List<String> policyStrings,
                                List<String> mxHosts, String resultType, String mxHost, String receivingIp,
                                String reasonCode) {

    public static final String STS = "sts";
    public static final String NO_POLICY = "no-policy-found";
    /** DANE (RFC 8460 §4.1): the policy strings are the TLSA records. */
    public static final String TLSA = "tlsa";

    public TlsSessionOutcome {
        Objects.requireNonNull(policyDomain, "policy domain");
        policyStrings = List.copyOf(policyStrings);
        mxHosts = List.copyOf(mxHosts);
        resultType = resultType == null ? "" : resultType;
        mxHost = mxHost == null ? "" : mxHost;
        receivingIp = receivingIp == null ? "" : receivingIp;
        reasonCode = reasonCode == null ? "" : reasonCode;
    }

    public boolean success() {
        return resultType.isEmpty();
    }
}
