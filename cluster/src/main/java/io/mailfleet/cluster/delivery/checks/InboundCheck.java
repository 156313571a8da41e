package io.mailfleet.cluster.delivery.checks;

import java.util.concurrent.CompletionStage;

/**
 * One inbound check (SPF, DKIM, DMARC, spam scoring, virus scanning, greylisting): asynchronous, it
 * sees the envelope, the parsed message and the results of the checks before it, and answers with a
 * {@link CheckResult}. Must not block the calling thread; a failed stage defers the delivery.
 */
public interface InboundCheck {

    /** Short name for the delivery log, e.g. {@code spf}. */
    String name();

    CompletionStage<CheckResult> check(CheckInput input);
}
