package io.mailfleet.protocols.outbound;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Checks the names of a peer certificate against {@code match=} patterns the way Postfix does:
 * the DNS subjectAltNames (the subject CN only when there are none), a leading {@code *.} matching
 * exactly one label.
 */
final class CertificateNames {

    private CertificateNames() {
    }

    /** The DNS names the certificate is valid for, lower case. */
    static List<String> of(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String s) {
                        out.add(s.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (out.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                    if ("CN".equalsIgnoreCase(rdn.getType())) {
                        out.add(rdn.getValue().toString().toLowerCase(Locale.ROOT));
                    }
                }
            } catch (InvalidNameException e) {
                return List.of();
            }
        }
        return out;
    }

    /**
     * The first pattern satisfied by one of {@code names}, or null.
     *
     * @param hostname the MX (or relay) host name connected to
     * @param nexthop  the nexthop domain (recipient domain or relay host)
     */
    static String matching(List<String> names, List<String> patterns, String hostname, String nexthop) {
        for (String p : patterns) {
            for (String n : names) {
                boolean ok = switch (p) {
                    case "hostname" -> nameMatches(n, hostname);
                    case "nexthop" -> nameMatches(n, nexthop);
                    case "dot-nexthop" -> subdomainMatches(n, nexthop);
                    default -> p.startsWith(".") ? subdomainMatches(n, p.substring(1)) : nameMatches(n, p);
                };
                if (ok) {
                    return p + "=" + n;
                }
            }
        }
        return null;
    }

    /** A certificate name (possibly {@code *.domain}) against one host name. */
    private static boolean nameMatches(String certName, String host) {
        String h = strip(host);
        if (certName.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot + 1).equals(certName.substring(2));
        }
        return certName.equals(h);
    }

    /** A certificate name for some host strictly below {@code domain} ({@code *.domain} names hosts below it). */
    private static boolean subdomainMatches(String certName, String domain) {
        String d = strip(domain);
        String n = certName.startsWith("*.") ? "x" + certName.substring(1) : certName;
        return n.endsWith("." + d);
    }

    private static String strip(String name) {
        String s = name.toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
