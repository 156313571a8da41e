package io.mailfleet.core.mime;

import java.util.List;

/**
 * RFC 3501 ENVELOPE of a message: raw (unfolded, not decoded) header values; null means absent (NIL).
 * Address lists are empty when the header is absent or holds no address; sender and reply-to
 * already default to from.
 */
public record Envelope(String date, String subject, List<Address> from, List<Address> sender,
                       List<Address> replyTo, List<Address> to, List<Address> cc, List<Address> bcc,
                       String inReplyTo, String messageId) {

    public Envelope {
        from = List.copyOf(from);
        sender = List.copyOf(sender);
        replyTo = List.copyOf(replyTo);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
    }
}
