package io.mailfleet.cluster.queue;

/**
 * One final destination of a queued message, fixed when the message is accepted so that a retry
 * delivers to exactly the same places even if aliases change meanwhile.
 *
 * @param recipient the envelope recipient it came from
 * @param kind      local mailbox, remote address (outbound), or discarded / failed at expansion
 * @param address   the account key (local) or the remote address
 * @param detail    subaddress detail kept for the mailbox ({@code tag} of {@code user+tag@}), or null
 */
public record DeliveryTarget(String recipient, Kind kind, String address, String detail) {

    /** Where a target goes. */
    public enum Kind { LOCAL, REMOTE, DISCARD, UNDELIVERABLE }
}
