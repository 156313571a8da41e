package io.mailfleet.server.scan;

import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.DropFields;
import io.mailfleet.protocols.smtp.check.HeaderFieldFilter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The sender's copies of the fields Mailfleet's spam scanners write (SpamAssassin's and the built-in
 * scorer's {@code X-Spam-*}, Rspamd's {@code X-Spam}, {@code X-Spamd-*}, {@code X-Rspamd-*}), as amavis'
 * removal of foreign spam header fields: on a message the spam filtering judged, Junk filing and users'
 * Sieve scripts must read only ours. The whole family goes whichever scanner ran, because delivery's
 * Junk rule reads both {@code X-Spam-Flag} and {@code X-Spam}. Seen while the message streams in (its
 * header section only), so a message without such a field is never copied for it.
 */
final class ForeignSpamFields {

    /** The fields removed. */
    static final DropFields FIELDS = new DropFields(List.of("x-spam"), List.of("x-spam-", "x-spamd-", "x-rspamd-"));

    private final HeaderFieldFilter seen = new HeaderFieldFilter(FIELDS);

    /** Notes the next stored octets (nothing past the header section is read). */
    void observe(ByteBuffer stored) {
        if (!seen.headerDone() && !seen.found()) {
            seen.observe(stored);
        }
    }

    /** {@code result} asking for the sender's spam fields to be dropped when the message had any. */
    CheckResult dropFrom(CheckResult result) {
        if (!seen.found() || result instanceof CheckResult.Refuse) {
            return result;
        }
        if (result instanceof CheckResult.Note n) {
            List<Object> facts = new ArrayList<>(n.facts());
            facts.add(FIELDS);
            return new CheckResult.Note(n.traceFields(), n.atRcpt(), n.listing(), facts);
        }
        if (result instanceof CheckResult.Rewritten rw) {
            List<Object> facts = new ArrayList<>(rw.facts());
            facts.add(FIELDS);
            return new CheckResult.Rewritten(rw.message(), rw.size(), rw.traceFields(), facts);
        }
        return new CheckResult.Note("", null, List.of(FIELDS));
    }
}
