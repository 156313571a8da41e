package io.mailfleet.core.dns;

import org.xbill.DNS.Record;

import java.util.Objects;

/**
 * A DNS answer with its DNSSEC verdict. A {@link DnssecStatus#BOGUS} answer carries a
 * {@link DnsResult.TempError} (the data must not be used) and the validator's reason; a lookup that got
 * no answer at all (timeout) is a {@link DnsResult.TempError} marked {@link DnssecStatus#INSECURE}.
 *
 * @param result the answer as {@link DnsResolver#query} would give it
 * @param status what validation proved
 * @param reason why it is bogus or insecure, for log lines; "" when secure
 */
public record ValidatedAnswer(DnsResult<Record> result, DnssecStatus status, String reason) {
    public ValidatedAnswer {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(status, "status");
        reason = reason == null ? "" : reason;
    }

    public boolean secure() {
        return status == DnssecStatus.SECURE;
    }

    public boolean bogus() {
        return status == DnssecStatus.BOGUS;
    }
}
