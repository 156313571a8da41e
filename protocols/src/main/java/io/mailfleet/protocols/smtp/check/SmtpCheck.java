package io.mailfleet.protocols.smtp.check;

import java.util.concurrent.CompletionStage;

/**
 * One check at one stage of the SMTP dialogue. It may take its time (a DNS lookup, a cluster entity):
 * the session reads no further input until the stage completes, so pipelined replies stay in order.
 * It must not block the calling thread, which is a Netty event loop.
 *
 * @param <T> what the stage knows: {@link ConnectAttempt}, {@link MailAttempt} or {@link RcptAttempt}
 */
@FunctionalInterface
public interface SmtpCheck<T> {

    /** Accepts, or refuses with the reply the client gets; a failed stage answers a temporary error. */
    CompletionStage<CheckResult> check(T attempt);
}
