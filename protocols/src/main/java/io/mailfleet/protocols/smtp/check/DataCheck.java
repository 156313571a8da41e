package io.mailfleet.protocols.smtp.check;

/**
 * A check at the end of DATA/BDAT, before the {@code 250}: mail authentication (DKIM, DMARC), content
 * filters (spam, virus), size-dependent policy. Decisions that refuse happen here rather than as a
 * bounce after acceptance, as RFC 5321 section 6.2 prefers.
 */
@FunctionalInterface
public interface DataCheck {

    /** The check of the message about to stream in, or null when this message does not concern it. */
    MessageCheck open(MessageStart start);
}
