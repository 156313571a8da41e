package io.mailfleet.server.scan;

import io.mailfleet.protocols.smtp.check.EnvelopeChange;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A milter's envelope modification ({@code +} addrcpt, {@code 2} addrcpt_par, {@code -} delrcpt,
 * {@code e} chgfrom) read into an {@link EnvelopeChange}. The address is the milter's word only:
 * anything that is not one plain {@code local@domain} path (no white space or control characters, at
 * most 254 octets) is garbage, which makes the whole call a failed one. Of the ESMTP arguments, NOTIFY
 * and ORCPT (recipients) and RET and ENVID (sender) are kept; the others are named in {@code ignored}.
 */
final class MilterEnvelopeReply {

    /** RFC 5321's 256-octet path less its angle brackets. */
    static final int MAX_ADDRESS = 254;
    private static final Pattern NOTIFY = Pattern.compile("NEVER|(SUCCESS|DELAY|FAILURE)(,(SUCCESS|DELAY|FAILURE)){0,2}");
    private static final Pattern XTEXT = Pattern.compile("[\\x21-\\x7e]{1,500}");

    private MilterEnvelopeReply() {
    }

    /** The change {@code r} asks for; {@code ignored} gets the ESMTP arguments that have no effect. */
    static EnvelopeChange read(MilterPacket r, List<String> ignored) {
        List<String> s = r.strings(0);
        int most = r.command() == '+' || r.command() == '-' ? 1 : 2;
        if (s.isEmpty() || s.size() > most) {
            throw MilterPacket.garbage("a '" + r.printable() + "' with " + s.size() + " strings");
        }
        String args = s.size() > 1 ? s.get(1) : "";
        return switch (r.command()) {
            case '+' -> new EnvelopeChange.AddRecipient(address(s.get(0), false), null, null);
            case '-' -> new EnvelopeChange.DeleteRecipient(address(s.get(0), false));
            case '2' -> {
                String notify = null;
                String orcpt = null;
                for (String[] kv : params(args)) {
                    if (kv[0].equals("NOTIFY") && NOTIFY.matcher(kv[1].toUpperCase(Locale.ROOT)).matches()) {
                        notify = kv[1].toUpperCase(Locale.ROOT);
                    } else if (kv[0].equals("ORCPT") && XTEXT.matcher(kv[1]).matches() && kv[1].contains(";")) {
                        orcpt = kv[1];
                    } else {
                        ignore(ignored, kv);
                    }
                }
                yield new EnvelopeChange.AddRecipient(address(s.get(0), false), notify, orcpt);
            }
            case 'e' -> {
                String ret = null;
                String envId = null;
                for (String[] kv : params(args)) {
                    String v = kv[1].toUpperCase(Locale.ROOT);
                    if (kv[0].equals("RET") && (v.equals("FULL") || v.equals("HDRS"))) {
                        ret = v;
                    } else if (kv[0].equals("ENVID") && XTEXT.matcher(kv[1]).matches()) {
                        envId = kv[1];
                    } else {
                        ignore(ignored, kv);
                    }
                }
                yield new EnvelopeChange.ChangeSender(address(s.get(0), true), ret, envId);
            }
            default -> throw new IllegalArgumentException("not an envelope change: " + r.printable());
        };
    }

    /** How the decision's log line names a change. */
    static String shown(EnvelopeChange c) {
        if (c instanceof EnvelopeChange.AddRecipient a) {
            return "addrcpt <" + a.address() + ">" + (a.dsnNotify() != null ? " NOTIFY=" + a.dsnNotify() : "")
                    + (a.orcpt() != null ? " ORCPT=" + ClamdScanner.printable(a.orcpt()) : "");
        }
        if (c instanceof EnvelopeChange.DeleteRecipient d) {
            return "delrcpt <" + d.address() + ">";
        }
        EnvelopeChange.ChangeSender f = (EnvelopeChange.ChangeSender) c;
        return "chgfrom <" + f.address() + ">" + (f.ret() != null ? " RET=" + f.ret() : "")
                + (f.envId() != null ? " ENVID=" + ClamdScanner.printable(f.envId()) : "");
    }

    /** The address without its angle brackets; garbage unless it is one plain mailbox (or {@code <>} for a sender). */
    static String address(String raw, boolean nullAllowed) {
        String a = raw.strip();
        if (a.startsWith("<") && a.endsWith(">") && a.length() >= 2) {
            a = a.substring(1, a.length() - 1);
        }
        if (a.isEmpty() && nullAllowed) {
            return a;
        }
        int at = a.lastIndexOf('@');
        boolean plain = a.length() <= MAX_ADDRESS && at > 0 && at < a.length() - 1
                && a.chars().allMatch(c -> c > 0x20 && c != 0x7f && c != '<' && c != '>');
        if (!plain) {
            throw MilterPacket.garbage("the address \"" + ClamdScanner.printable(
                    raw.length() > 80 ? raw.substring(0, 80) + "..." : raw) + "\"");
        }
        return a;
    }

    /** Names an ignored argument for the log line; the first few only, as a milter may send many. */
    private static void ignore(List<String> ignored, String[] kv) {
        if (ignored.size() < 10) {
            ignored.add(ClamdScanner.printable(kv[1].isEmpty() ? kv[0] : kv[0] + "=" + kv[1]));
        }
    }

    private static List<String[]> params(String args) {
        List<String[]> out = new ArrayList<>();
        for (String p : args.strip().split("[ \t]+")) {
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            out.add(eq < 0 ? new String[] {p.toUpperCase(Locale.ROOT), ""}
                    : new String[] {p.substring(0, eq).toUpperCase(Locale.ROOT), p.substring(eq + 1)});
        }
        return out;
    }
}
