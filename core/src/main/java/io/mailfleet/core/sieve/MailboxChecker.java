package io.mailfleet.core.sieve;

/** Answers mailboxexists (RFC 5490) for the recipient's account. */
@FunctionalInterface
public interface MailboxChecker {
    boolean exists(String folder);
}
