package io.mailfleet.protocols.smtp.check;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A fact a MAIL-stage check notes next to its delayed refusal ({@link CheckResult.Note#atRcpt}) when that
 * refusal is not for every recipient: the SPF check with per-domain actions refuses a fail only at the
 * RCPT of domains that reject it. Tied to its refusal by identity, so it never narrows another check's.
 *
 * @param refusal    the delayed refusal it narrows (the same object as the note's {@code atRcpt})
 * @param recipients which recipients (as stored) get the refusal
 */
public record RcptRefusalScope(CheckResult.Refuse refusal, Predicate<String> recipients) {

    public RcptRefusalScope {
        Objects.requireNonNull(refusal, "refusal");
        Objects.requireNonNull(recipients, "recipients");
    }
}
