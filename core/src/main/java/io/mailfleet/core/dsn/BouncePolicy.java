package io.mailfleet.core.dsn;

import io.mailfleet.core.queue.EnvelopeRecipient;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Who gets a delivery status notification: no bounce of bounces, RFC 3461 NOTIFY and RET semantics. */
public final class BouncePolicy {
    private BouncePolicy() {
    }

    /** False for the null sender and for MAILER-DAEMON addresses: reports to them could loop. */
    public static boolean mayBounce(String envelopeSender) {
        if (envelopeSender == null) {
            return false;
        }
        String s = envelopeSender.strip();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.isEmpty()) {
            return false;
        }
        int at = s.lastIndexOf('@');
        String local = at < 0 ? s : s.substring(0, at);
        return !local.equalsIgnoreCase("mailer-daemon");
    }

    /**
     * Parses a NOTIFY parameter; null (not given) means FAILURE and DELAY.
     *
     * @throws IllegalArgumentException for unknown keywords or NEVER combined with another keyword
     */
    public static Set<DsnNotify> notifyOf(String notify) {
        if (notify == null || notify.isBlank()) {
            return EnumSet.of(DsnNotify.FAILURE, DsnNotify.DELAY);
        }
        EnumSet<DsnNotify> set = EnumSet.noneOf(DsnNotify.class);
        for (String part : notify.split(",")) {
            try {
                set.add(DsnNotify.valueOf(part.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown NOTIFY keyword '" + part.strip() + "'");
            }
        }
        if (set.contains(DsnNotify.NEVER) && set.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with other keywords: " + notify);
        }
        return set;
    }

    /** Whether the sender wants a report for this recipient and outcome (and may receive one at all). */
    public static boolean shouldReport(String envelopeSender, EnvelopeRecipient recipient, DsnAction action) {
        if (!mayBounce(envelopeSender)) {
            return false;
        }
        Set<DsnNotify> wanted = notifyOf(recipient.dsnNotify());
        return switch (action) {
            case FAILED -> wanted.contains(DsnNotify.FAILURE);
            case DELAYED -> wanted.contains(DsnNotify.DELAY);
            // "delivered" reports only on explicit request; relayed/expanded tell a SUCCESS requester the trail ends
            case DELIVERED, RELAYED, EXPANDED -> wanted.contains(DsnNotify.SUCCESS);
        };
    }

    /** RET=FULL returns the whole message; HDRS or no RET returns its header section. */
    public static boolean returnFull(String ret) {
        return ret != null && ret.strip().equalsIgnoreCase("FULL");
    }

    /**
     * The Original-Recipient value for an ORCPT parameter ({@code addr-type;xtext}), xtext decoded, or null
     * when absent or malformed.
     */
    public static String originalRecipient(String orcpt) {
        if (orcpt == null) {
            return null;
        }
        int semi = orcpt.indexOf(';');
        if (semi <= 0 || semi == orcpt.length() - 1) {
            return null;
        }
        String type = orcpt.substring(0, semi).strip();
        String value = orcpt.substring(semi + 1).strip();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+') {
                if (i + 2 >= value.length()) {
                    return null;
                }
                int v;
                try {
                    v = Integer.parseInt(value.substring(i + 1, i + 3), 16);
                } catch (NumberFormatException e) {
                    return null;
                }
                if (v < 32 || v == 127) {
                    return null;
                }
                out.append((char) v);
                i += 2;
            } else if (c < 33 || c > 126) {
                return null;
            } else {
                out.append(c);
            }
        }
        return type + "; " + out;
    }
}
