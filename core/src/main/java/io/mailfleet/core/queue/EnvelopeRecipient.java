package io.mailfleet.core.queue;

/**
 * One RCPT TO of a transaction.
 *
 * @param address the recipient as given (lower-cased domain, local part kept)
 * @param dsnNotify RFC 3461 NOTIFY value as given ({@code SUCCESS,DELAY,FAILURE}, {@code NEVER}) or null
 * @param orcpt   RFC 3461 ORCPT value or null
 */
public record EnvelopeRecipient(String address, String dsnNotify, String orcpt) {
    public static EnvelopeRecipient of(String address) {
        return new EnvelopeRecipient(address, null, null);
    }
}
