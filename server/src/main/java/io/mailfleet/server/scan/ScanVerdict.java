package io.mailfleet.server.scan;

import io.mailfleet.protocols.smtp.check.CheckResult;

/**
 * A scanner's answer about one message: what the SMTP transaction gets, and a short text for the
 * decision's log line ({@code clean}, {@code virus Eicar-Signature}, {@code score=7.1 spam}).
 */
public record ScanVerdict(CheckResult result, String verdict) {
}
