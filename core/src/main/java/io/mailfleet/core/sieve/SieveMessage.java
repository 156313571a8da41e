package io.mailfleet.core.sieve;

import java.time.ZonedDateTime;
import java.util.List;

/** What a Sieve script can see of one message being delivered to one recipient. */
public interface SieveMessage {

    /** One header field: name as written, raw (possibly folded and RFC 2047 encoded) value. */
    record Header(String name, String value) {
    }

    /** One leaf MIME part: lower-case {@code type/subtype} and its decoded text ("" for binary parts). */
    record Part(String contentType, String text) {
    }

    /** Envelope MAIL FROM, "" for the null sender {@code <>}. */
    String envelopeFrom();

    /** Envelope recipient being delivered to (after alias expansion). */
    String envelopeTo();

    /** Envelope recipient as given in RCPT TO (before alias expansion). */
    String originalEnvelopeTo();

    /** Header fields in message order. */
    List<Header> headers();

    /** Message size in octets. */
    long size();

    /** Leaf body parts in order; for a single-part message a single part. */
    List<Part> parts();

    /** The body as sent (after the header block), undecoded, for {@code body :raw}. */
    String rawBody();

    /** When the message arrived (currentdate uses the environment clock, not this). */
    ZonedDateTime received();
}
