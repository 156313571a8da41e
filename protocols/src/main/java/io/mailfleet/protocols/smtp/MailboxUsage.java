package io.mailfleet.protocols.smtp;

/**
 * Current mailbox usage for the over-quota check at RCPT. Called on the network thread for every
 * local recipient, so implementations answer from a cache and never block.
 */
@FunctionalInterface
public interface MailboxUsage {

    /** Bytes used by the account's mailbox (0 when unknown). */
    long usedBytes(String account);
}
