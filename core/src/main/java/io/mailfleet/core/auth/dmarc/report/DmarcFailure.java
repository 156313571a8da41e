package io.mailfleet.core.auth.dmarc.report;

import io.mailfleet.core.auth.results.AuthenticationResults;

import java.time.Instant;
import java.util.Objects;

/**
 * One message whose DMARC evaluation may owe a failure report (RFC 7489 section 7.3): what the report
 * says about it. The results carry the disposition this server applied.
 *
 * @param results  the message's authentication results, with a DMARC result under a record
 * @param sender   the MAIL FROM address, empty for the null sender
 * @param sourceIp the client's address
 * @param arrival  when the message arrived
 * @param headers  the message's header section as received (CRLF line ends, ISO-8859-1 text so every
 *                 byte maps to one char); never the body
 */
public record DmarcFailure(AuthenticationResults results, String sender, String sourceIp, Instant arrival,
                           String headers) {

    public DmarcFailure {
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(results.dmarc(), "results.dmarc");
        sender = sender == null ? "" : sender;
        headers = headers == null ? "" : headers;
    }
}
