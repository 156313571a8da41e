package io.mailfleet.core.auth.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed "v=spf1" record (RFC 7208 sections 4.6 and 5-6). The whole record is parsed before
 * anything is evaluated, so a syntax error anywhere gives permerror (section 4.6).
 *
 * @param directives the mechanisms with their qualifiers, in order
 * @param redirect   the redirect= domain-spec, or null
 * @param exp        the exp= domain-spec, or null
 */
record SpfRecord(List<Directive> directives, MacroString redirect, MacroString exp) {

    /** One qualifier and mechanism; {@code text} is the term as written, for reasons and logs. */
    record Directive(SpfResult qualifier, Mechanism mechanism, String text) {
    }

    sealed interface Mechanism {
    }

    record All() implements Mechanism {
    }

    record Include(MacroString domain) implements Mechanism {
    }

    /** {@code domain} null means the current domain. */
    record A(MacroString domain, int cidr4, int cidr6) implements Mechanism {
    }

    record Mx(MacroString domain, int cidr4, int cidr6) implements Mechanism {
    }

    record Ptr(MacroString domain) implements Mechanism {
    }

    record Ip(InetAddress network, int cidr) implements Mechanism {
    }

    record Exists(MacroString domain) implements Mechanism {
    }

    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9_.\\-]*)=(.*)", Pattern.DOTALL);
    private static final Pattern MECHANISM = Pattern.compile("([A-Za-z][A-Za-z0-9_.\\-]*)(.*)", Pattern.DOTALL);
    private static final Pattern DUAL_CIDR = Pattern.compile("^(.*?)(?:/([0-9]+))?(?://([0-9]+))?$", Pattern.DOTALL);
    private static final Pattern IP4 = Pattern.compile(
            "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern TOPLABEL = Pattern.compile(
            "[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9]");

    /** True when a TXT string is an SPF version 1 record (section 4.5). */
    static boolean isSpf1(String txt) {
        return txt.regionMatches(true, 0, "v=spf1", 0, 6) && (txt.length() == 6 || txt.charAt(6) == ' ');
    }

    /**
     * Parses a record that {@link #isSpf1} accepted.
     *
     * @throws SpfException permerror on any syntax error
     */
    static SpfRecord parse(String txt) {
        for (int i = 0; i < txt.length(); i++) {
            char c = txt.charAt(i);
            if (c > 0x7e || (c < 0x20)) {
                throw SpfException.perm("record contains a non-ASCII or control character");
            }
        }
        List<Directive> directives = new ArrayList<>();
        MacroString redirect = null;
        MacroString exp = null;
        for (String term : txt.substring(6).split(" ")) {
            if (term.isEmpty()) {
                continue;
            }
            Matcher mod = MODIFIER.matcher(term);
            if (mod.matches()) {
                String name = mod.group(1).toLowerCase(Locale.ROOT);
                String value = mod.group(2);
                if (name.equals("redirect")) {
                    if (redirect != null) {
                        throw SpfException.perm("more than one redirect= modifier");
                    }
                    redirect = domainSpec(value, term);
                } else if (name.equals("exp")) {
                    if (exp != null) {
                        throw SpfException.perm("more than one exp= modifier");
                    }
                    exp = domainSpec(value, term);
                } else {
                    MacroString.parse(value, false);
                }
                continue;
            }
            directives.add(directive(term));
        }
        return new SpfRecord(List.copyOf(directives), redirect, exp);
    }

    private static Directive directive(String term) {
        SpfResult qualifier = SpfResult.PASS;
        String rest = term;
        switch (term.charAt(0)) {
            case '+' -> rest = term.substring(1);
            case '-' -> {
                qualifier = SpfResult.FAIL;
                rest = term.substring(1);
            }
            case '~' -> {
                qualifier = SpfResult.SOFTFAIL;
                rest = term.substring(1);
            }
            case '?' -> {
                qualifier = SpfResult.NEUTRAL;
                rest = term.substring(1);
            }
            default -> {
            }
        }
        Matcher m = MECHANISM.matcher(rest);
        if (!m.matches()) {
            throw SpfException.perm("unknown term '" + term + "'");
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        String args = m.group(2);
        Mechanism mechanism = switch (name) {
            case "all" -> {
                if (!args.isEmpty()) {
                    throw SpfException.perm("'all' takes no argument: '" + term + "'");
                }
                yield new All();
            }
            case "include" -> new Include(domainSpec(required(args, term), term));
            case "exists" -> new Exists(domainSpec(required(args, term), term));
            case "ptr" -> new Ptr(args.isEmpty() ? null : domainSpec(required(args, term), term));
            case "a", "mx" -> {
                Matcher cidr = DUAL_CIDR.matcher(args);
                if (!cidr.matches()) {
                    throw SpfException.perm("invalid term '" + term + "'");
                }
                String domain = cidr.group(1);
                MacroString spec = domain.isEmpty() ? null : domainSpec(required(domain, term), term);
                int v4 = cidr.group(2) == null ? 32 : prefix(cidr.group(2), 32, term);
                int v6 = cidr.group(3) == null ? 128 : prefix(cidr.group(3), 128, term);
                yield name.equals("a") ? new A(spec, v4, v6) : new Mx(spec, v4, v6);
            }
            case "ip4" -> ip(required(args, term), term, false);
            case "ip6" -> ip(required(args, term), term, true);
            default -> throw SpfException.perm("unknown mechanism '" + term + "'");
        };
        return new Directive(qualifier, mechanism, term);
    }

    private static String required(String args, String term) {
        if (!args.startsWith(":") || args.length() == 1) {
            throw SpfException.perm("'" + term + "' needs ':' and an argument");
        }
        return args.substring(1);
    }

    private static Ip ip(String arg, String term, boolean v6) {
        int slash = arg.indexOf('/');
        String network = slash < 0 ? arg : arg.substring(0, slash);
        int cidr = slash < 0 ? (v6 ? 128 : 32) : prefix(arg.substring(slash + 1), v6 ? 128 : 32, term);
        InetAddress address;
        if (v6) {
            if (!network.contains(":") || !network.matches("[0-9A-Fa-f:.]+")) {
                throw SpfException.perm("invalid IPv6 network in '" + term + "'");
            }
            try {
                address = InetAddress.getByName(network);
            } catch (UnknownHostException e) {
                throw SpfException.perm("invalid IPv6 network in '" + term + "'");
            }
            if (address instanceof Inet4Address v4mapped) {
                // ::ffff:a.b.c.d is kept as IPv6 so it never matches an IPv4 client by accident
                address = toV6(v4mapped);
            }
        } else {
            if (!IP4.matcher(network).matches()) {
                throw SpfException.perm("invalid IPv4 network in '" + term + "'");
            }
            try {
                address = InetAddress.getByName(network);
            } catch (UnknownHostException e) {
                throw SpfException.perm("invalid IPv4 network in '" + term + "'");
            }
        }
        return new Ip(address, cidr);
    }

    private static InetAddress toV6(Inet4Address v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4.getAddress(), 0, b, 12, 4);
        try {
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int prefix(String digits, int max, String term) {
        if (!digits.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(digits) > max) {
            throw SpfException.perm("invalid CIDR length in '" + term + "'");
        }
        return Integer.parseInt(digits);
    }

    /** A domain-spec: a macro-string that ends in a macro or in "." toplabel ["."] (section 7.1). */
    private static MacroString domainSpec(String text, String term) {
        if (text.isEmpty()) {
            throw SpfException.perm("empty domain in '" + term + "'");
        }
        MacroString spec = MacroString.parse(text, false);
        if (!spec.endsWithMacro()) {
            String tail = spec.trailingLiteral();
            if (tail.endsWith(".")) {
                tail = tail.substring(0, tail.length() - 1);
            }
            int dot = tail.lastIndexOf('.');
            if (dot < 0 || !TOPLABEL.matcher(tail.substring(dot + 1)).matches()) {
                throw SpfException.perm("domain in '" + term + "' does not end in a valid top-level label");
            }
        }
        return spec;
    }
}
