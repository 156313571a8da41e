package io.mailfleet.core.tlsrpt;

/** One RFC 8460 failure-details entry: how often one failure happened with one MX. */
public record TlsRptFailureCount(String resultType, String receivingMxHostname, String receivingIp,
                                 String failureReasonCode, long count) {
}
