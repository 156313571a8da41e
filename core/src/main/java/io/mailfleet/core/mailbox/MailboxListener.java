package io.mailfleet.core.mailbox;

/** Receives an account's mailbox changes; called from a pub/sub thread, so implementations hand off. */
@FunctionalInterface
public interface MailboxListener {
    void onEvent(MailboxEvent event);
}
