package io.mailfleet.core.spam.uribl;

import io.mailfleet.core.auth.dmarc.PublicSuffixList;
import io.mailfleet.core.mime.BodyPart;
import io.mailfleet.core.mime.MessageParser;
import io.mailfleet.core.mime.MessageSummary;
import io.mailfleet.core.spam.TextParts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * The link targets of a message: its text/plain and text/html parts (nested messages included), parsed
 * by the project's one MIME parser and decoded (base64, quoted-printable, charset) from the message's
 * first {@link LinkLimits#maxScanBytes()} octets, read for links by {@link TextLinks} and
 * {@link HtmlLinks}, reduced to registrable domains and IP addresses, at most
 * {@link LinkLimits#maxTargets()} of them.
 */
public final class MessageLinks {

    private static final int MAX_DEPTH = 20;

    private final LinkLimits limits;
    private final PublicSuffixList psl;
    private final Set<String> skip;

    public MessageLinks(LinkLimits limits, PublicSuffixList psl) {
        this(limits, psl, Set.of());
    }

    /**
     * Links whose registrable domain is in {@code skip} (lower case, e.g. {@code w3.org}) are never
     * asked about and take no place among the targets, as SpamAssassin's {@code uridnsbl_skip_domain}.
     */
    public MessageLinks(LinkLimits limits, PublicSuffixList psl, Set<String> skip) {
        this.limits = limits;
        this.psl = psl;
        this.skip = Set.copyOf(skip);
    }

    public LinkLimits limits() {
        return limits;
    }

    /** The targets in {@code message} (the whole message or its first octets), best first. */
    public List<LinkTarget> targets(byte[] message) {
        byte[] m = message.length > limits.maxScanBytes() ? java.util.Arrays.copyOf(message, limits.maxScanBytes())
                : message;
        try {
            return targets(m, MessageParser.parse(new ByteArrayInputStream(m)));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail to read
        }
    }

    /**
     * The targets in a message already parsed: {@code message} holds its first octets (more than
     * {@link LinkLimits#maxScanBytes()} are not read), {@code summary} is the parse of the whole message.
     */
    public List<LinkTarget> targets(byte[] message, MessageSummary summary) {
        byte[] m = message.length > limits.maxScanBytes() ? java.util.Arrays.copyOf(message, limits.maxScanBytes())
                : message;
        LinkCollector out = new LinkCollector(limits.maxTargets(), limits.emails(), psl, skip);
        TextParts.walk(m, summary.body(), MAX_DEPTH, new TextParts.Reader() {
            @Override
            public boolean enter(BodyPart p) {
                return !out.full();
            }

            @Override
            public void text(BodyPart p, String text, boolean html) {
                if (html) {
                    HtmlLinks.scan(text, out);
                } else {
                    TextLinks.scan(text, out);
                }
            }
        });
        return out.targets();
    }

    /** The targets of one decoded text, HTML or not (for tests and callers that hold text). */
    public List<LinkTarget> targets(String text, boolean html) {
        LinkCollector out = new LinkCollector(limits.maxTargets(), limits.emails(), psl, skip);
        String t = text.length() > limits.maxScanBytes() ? text.substring(0, limits.maxScanBytes()) : text;
        if (html) {
            HtmlLinks.scan(t, out);
        } else {
            TextLinks.scan(t, out);
        }
        return out.targets();
    }
}
