package io.mailfleet.protocols.smtp.command;

import io.mailfleet.core.address.InvalidAddressException;
import io.mailfleet.core.address.MailAddress;
import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.SmtpSettings;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Builds typed requests from command arguments, with Postfix's replies for what it refuses. ESMTP
 * parameters are judged in the order the client sent them, so the first bad one is the one answered.
 * The handlers call it after their state checks: a command out of sequence is refused for that
 * before its syntax is looked at.
 */
public final class SmtpCommandParser {

    private static final Pattern NOTIFY = Pattern.compile("NEVER|(SUCCESS|FAILURE|DELAY)(,(SUCCESS|FAILURE|DELAY))*");
    private static final int MAX_ENVID = 100;

    private SmtpCommandParser() {
    }

    /** HELO/EHLO: exactly one word; whether it is a valid name is {@link #validHeloName}'s call. */
    public static Parsed<HelloRequest> hello(String arg, boolean extended) {
        if (arg.isEmpty() || arg.indexOf(' ') >= 0) {
            return Parsed.refused(501, "5.5.4", "Syntax: " + (extended ? "EHLO" : "HELO") + " hostname");
        }
        return Parsed.ok(new HelloRequest(arg, extended));
    }

    /** A domain name or an address literal ({@code [192.0.2.1]}, {@code [IPv6:...]}). */
    public static boolean validHeloName(String name) {
        if (name.startsWith("[") && name.endsWith("]")) {
            String lit = name.substring(1, name.length() - 1);
            return lit.matches("\\d{1,3}(\\.\\d{1,3}){3}") || lit.regionMatches(true, 0, "IPv6:", 0, 5)
                    && lit.substring(5).matches("[0-9A-Fa-f:.]+");
        }
        try {
            MailAddress.normalizeDomain(name, name);
            return true;
        } catch (InvalidAddressException e) {
            return false;
        }
    }

    /** {@code AUTH mechanism [initial-response]}. */
    public static Parsed<AuthRequest> auth(String arg) {
        String[] parts = arg.split(" ", -1);
        String mech = parts[0].toUpperCase(Locale.ROOT);
        String initial = parts.length > 1 ? parts[1] : null;
        if (parts.length > 2 || parts[0].isEmpty()) {
            return Parsed.refused(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
        }
        return Parsed.ok(new AuthRequest(mech, initial));
    }

    /**
     * {@code FROM:<path> [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8] [RET=..] [ENVID=..] [AUTH=..]}: SMTPUTF8
     * only when the listener offers it, RET and ENVID (DSN) only on submission; AUTH= is accepted and
     * ignored (RFC 4954 §5); REQUIRETLS (RFC 8689, no value) is parsed here and checked against the
     * session's TLS by the MAIL handler. A declared SIZE over the limit is refused and logged.
     */
    public static Parsed<MailRequest> mail(String arg, SmtpSettings settings) {
        PathArgument p = PathArgument.parse(arg, "FROM:");
        if (p == null) {
            return Parsed.refused(501, "5.5.4", "Syntax: MAIL FROM:<address>");
        }
        String body = "7BIT";
        boolean utf8 = false;
        String ret = null;
        String envId = null;
        long size = -1;
        boolean requireTls = false;
        for (var e : p.params().entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            switch (key) {
                case "SIZE" -> {
                    long declared;
                    try {
                        declared = Long.parseLong(value == null ? "" : value);
                    } catch (NumberFormatException ex) {
                        return Parsed.refused(501, "5.5.4", "Bad message size syntax");
                    }
                    if (declared > settings.maxMessageSize()) {
                        return new Parsed.Refused<>(new SmtpReply(552, "5.3.4",
                                "Message size exceeds fixed limit"), p.address(), "declared size " + declared);
                    }
                    size = Math.max(0, declared);
                }
                case "BODY" -> {
                    String v = value == null ? "" : value.toUpperCase(Locale.ROOT);
                    if (!v.equals("7BIT") && !v.equals("8BITMIME")) {
                        return Parsed.refused(501, "5.5.4", "Bad BODY keyword value");
                    }
                    body = v;
                }
                case "SMTPUTF8" -> {
                    if (!settings.smtpUtf8()) {
                        return Parsed.refused(555, "5.5.4", "Unsupported option: SMTPUTF8");
                    }
                    utf8 = true;
                }
                case "RET", "ENVID" -> {
                    if (!settings.mode().isSubmission()) {
                        return Parsed.refused(555, "5.5.4", "Unsupported option: " + key);
                    }
                    if (key.equals("RET")) {
                        String v = value == null ? "" : value.toUpperCase(Locale.ROOT);
                        if (!v.equals("FULL") && !v.equals("HDRS")) {
                            return Parsed.refused(501, "5.5.4", "Bad RET parameter syntax");
                        }
                        ret = v;
                    } else {
                        if (value == null || value.isEmpty() || value.length() > MAX_ENVID) {
                            return Parsed.refused(501, "5.5.4", "Bad ENVID parameter syntax");
                        }
                        envId = value;
                    }
                }
                case "AUTH" -> {
                    // RFC 4954 §5: accepted and not trusted
                }
                case "REQUIRETLS" -> {
                    if (value != null) {
                        return Parsed.refused(501, "5.5.4", "Bad REQUIRETLS parameter syntax");
                    }
                    requireTls = true;
                }
                default -> {
                    return Parsed.refused(555, "5.5.4", "Unsupported option: " + key);
                }
            }
        }
        return Parsed.ok(new MailRequest(p.address(), body, utf8, ret, envId, size, requireTls));
    }

    /** {@code TO:<path> [NOTIFY=..] [ORCPT=..]}: the DSN parameters only on submission. */
    public static Parsed<RcptRequest> rcpt(String arg, SmtpSettings settings) {
        PathArgument p = PathArgument.parse(arg, "TO:");
        if (p == null || p.address().isEmpty()) {
            return Parsed.refused(501, "5.5.4", "Syntax: RCPT TO:<address>");
        }
        String notify = null;
        String orcpt = null;
        for (var e : p.params().entrySet()) {
            String key = e.getKey();
            if ((key.equals("NOTIFY") || key.equals("ORCPT")) && settings.mode().isSubmission()) {
                if (e.getValue() == null || e.getValue().isEmpty()) {
                    return Parsed.refused(501, "5.5.4", "Bad " + key + " parameter syntax");
                }
                if (key.equals("NOTIFY")) {
                    notify = e.getValue().toUpperCase(Locale.ROOT);
                    if (!NOTIFY.matcher(notify).matches()) {
                        return Parsed.refused(501, "5.5.4", "Bad NOTIFY parameter syntax");
                    }
                } else {
                    orcpt = e.getValue();
                }
            } else {
                return Parsed.refused(555, "5.5.4", "Unsupported option: " + key);
            }
        }
        return Parsed.ok(new RcptRequest(p.address(), notify, orcpt));
    }

    /** {@code BDAT size [LAST]}. */
    public static Parsed<BdatRequest> bdat(String arg) {
        String[] parts = arg.split(" +");
        long size;
        try {
            size = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            size = -1;
        }
        boolean last = parts.length == 2 && parts[1].equalsIgnoreCase("LAST");
        if (size < 0 || parts.length > 2 || parts.length == 2 && !last) {
            return Parsed.refused(501, "5.5.4", "Syntax: BDAT size [LAST]");
        }
        return Parsed.ok(new BdatRequest(size, last));
    }
}
