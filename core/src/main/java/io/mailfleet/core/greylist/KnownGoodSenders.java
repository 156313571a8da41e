package io.mailfleet.core.greylist;

import io.mailfleet.core.dkim.DkimResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Sender domains that skip greylisting when their mail carries a passing DKIM signature of theirs
 * ({@code mailfleet.greylist.dkim-known-good-domains}). A listed domain covers its subdomains. DKIM is known
 * only after DATA, so the envelope sender's domain decides at RCPT whether a greylisting may wait for
 * the message, and the signatures decide at its end.
 */
public final class KnownGoodSenders {

    /** No known-good sender: every triplet is greylisted at RCPT. */
    public static final KnownGoodSenders NONE = new KnownGoodSenders(List.of());

    private final List<String> domains;

    private KnownGoodSenders(List<String> domains) {
        this.domains = List.copyOf(domains);
    }

    /**
     * The listed domains, lower-cased.
     *
     * @throws IllegalArgumentException naming the entry that is not a domain name
     */
    public static KnownGoodSenders of(List<String> domains) {
        List<String> out = new ArrayList<>();
        for (String raw : domains) {
            String d = raw.trim().toLowerCase(Locale.ROOT);
            if (d.endsWith(".")) {
                d = d.substring(0, d.length() - 1);
            }
            if (!d.matches("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
                    || d.length() > 253) {
                throw new IllegalArgumentException("'" + raw + "' is not a domain name");
            }
            out.add(d);
        }
        return new KnownGoodSenders(out);
    }

    /** Whether no domain is listed. */
    public boolean isEmpty() {
        return domains.isEmpty();
    }

    /** The listed domains. */
    public List<String> domains() {
        return domains;
    }

    /**
     * The listed domain that covers the envelope sender {@code sender} (an address; empty for the null
     * sender, which no domain covers).
     */
    public Optional<String> covering(String sender) {
        String domain = domainOf(sender);
        if (domain == null) {
            return Optional.empty();
        }
        return domains.stream().filter(d -> within(domain, d)).findFirst();
    }

    /**
     * The signing domain of a passing DKIM signature that vouches for {@code sender}: its {@code d=} is the
     * sender's domain or a parent of it, and is itself covered by the list. Empty when none does.
     */
    public Optional<String> vouching(String sender, List<DkimResult> dkim) {
        String domain = domainOf(sender);
        if (domain == null) {
            return Optional.empty();
        }
        for (DkimResult r : dkim) {
            if (r.passed() && r.domain() != null) {
                String d = r.domain().toLowerCase(Locale.ROOT);
                if (within(domain, d) && domains.stream().anyMatch(listed -> within(d, listed))) {
                    return Optional.of(d);
                }
            }
        }
        return Optional.empty();
    }

    private static String domainOf(String sender) {
        if (sender == null) {
            return null;
        }
        int at = sender.lastIndexOf('@');
        if (at < 0 || at == sender.length() - 1) {
            return null;
        }
        return sender.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** {@code domain} is {@code parent} or one of its subdomains. */
    private static boolean within(String domain, String parent) {
        return domain.equals(parent) || domain.endsWith("." + parent);
    }

    @Override
    public String toString() {
        return String.join(",", domains);
    }
}
