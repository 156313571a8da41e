package io.mailfleet.server.config;

import io.mailfleet.server.ldap.LdapEndpoint;
import io.mailfleet.server.ldap.LdapFilter;
import io.mailfleet.server.ldap.PasswordLookup;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mailfleet.account-provisioner} and {@code mailfleet.ldap}: docker-mailserver's
 * {@code ACCOUNT_PROVISIONER=LDAP} with its {@code LDAP_*} (Postfix look-ups), {@code DOVECOT_*} (logins)
 * and {@code SASLAUTHD_*} (SMTP AUTH) variables. The Dovecot and saslauthd connection settings fall back
 * to the {@code LDAP_*} ones, as in docker-mailserver.
 *
 * @param enabled   ACCOUNT_PROVISIONER=LDAP
 * @param lookups   server and bind of the Postfix-style look-ups (accounts, aliases, groups, domains, senders)
 * @param userFilter    LDAP_QUERY_FILTER_USER
 * @param groupFilter   LDAP_QUERY_FILTER_GROUP
 * @param aliasFilter   LDAP_QUERY_FILTER_ALIAS
 * @param domainFilter  LDAP_QUERY_FILTER_DOMAIN
 * @param sendersFilter LDAP_QUERY_FILTER_SENDERS (default: user, alias and group filters or-ed)
 * @param resultAttribute the attribute whose values the look-ups return ({@code mail}, as docker-mailserver's maps)
 * @param logins    how IMAP, POP3 and ManageSieve logins are checked (DOVECOT_*)
 * @param smtpLogins how SMTP AUTH is checked: saslauthd's LDAP settings when ENABLE_SASLAUTHD=1 with the
 *                  {@code ldap} mechanism, else the same as {@code logins}
 * @param timeout   connect and response time-out of every LDAP operation
 * @param cacheTtl  how long a look-up answer (found or not) is reused on this node
 * @param cacheSize the most look-up answers one node keeps
 * @param connections connections per pool
 */
public record LdapSettings(boolean enabled, LdapEndpoint lookups, LdapFilter userFilter, LdapFilter groupFilter,
                           LdapFilter aliasFilter, LdapFilter domainFilter, LdapFilter sendersFilter,
                           String resultAttribute, PasswordLookup logins, PasswordLookup smtpLogins,
                           Duration timeout, Duration cacheTtl, int cacheSize, int connections) {

    private static final String P = "mailfleet.ldap.";

    /** Reads and checks the keys; a bad value names its key. Null settings are never returned. */
    static LdapSettings read(ValueReader r) {
        Map<String, String> provisioners = new LinkedHashMap<>();
        provisioners.put("", "FILE");
        provisioners.put("file", "FILE");
        provisioners.put("ldap", "LDAP");
        provisioners.put("oidc", "OIDC");
        String provisioner = r.choice("mailfleet.account-provisioner", provisioners);
        if (provisioner.equals("OIDC")) {
            throw r.invalid("mailfleet.account-provisioner", "OIDC",
                    "FILE or LDAP (OIDC is not implemented, as in docker-mailserver)");
        }
        boolean enabled = provisioner.equals("LDAP");
        Optional<Path> ca = optionalFile(r, P + "ca-file");
        String host = r.string(P + "server-host");
        if (enabled && host.isEmpty()) {
            throw r.invalid(P + "server-host", "", "an LDAP URI such as ldap://ldap.example.com or ldaps://ldap.example.com:636"
                    + " (ACCOUNT_PROVISIONER=LDAP needs LDAP_SERVER_HOST)");
        }
        LdapEndpoint lookups = endpoint(r, P + "server-host", host, r.string(P + "search-base"),
                r.string(P + "bind-dn"), r.untrimmedString(P + "bind-password"), r.bool(P + "start-tls"), ca, enabled);

        LdapFilter user = filter(r, P + "query-filter-user", null);
        LdapFilter group = filter(r, P + "query-filter-group", null);
        LdapFilter alias = filter(r, P + "query-filter-alias", null);
        LdapFilter domain = filter(r, P + "query-filter-domain", null);
        String defaultSenders = "(|" + user.template() + alias.template() + group.template() + ")";
        LdapFilter senders = filter(r, P + "query-filter-senders", defaultSenders);
        String resultAttribute = r.string(P + "result-attribute");
        if (resultAttribute.isEmpty()) {
            throw r.invalid(P + "result-attribute", "", "an attribute name such as mail");
        }

        String d = P + "dovecot.";
        int version = r.intIn(d + "ldap-version", 2, 3);
        if (version != 3) {
            throw r.invalid(d + "ldap-version", String.valueOf(version), "3 (LDAPv2 is not supported)");
        }
        String dovecotHost = orElse(r.string(d + "uris"), host);
        LdapEndpoint dovecot = endpoint(r, d + "uris", dovecotHost, orElse(r.string(d + "base"), lookups.base()),
                orElse(r.string(d + "dn"), lookups.bindDn()), orElse(r.untrimmedString(d + "dnpass"), lookups.bindPassword()),
                r.bool(d + "tls") || lookups.startTls(), ca, enabled);
        LdapFilter userFilter = filter(r, d + "user-filter", null);
        LdapFilter passFilter = filter(r, d + "pass-filter", userFilter.template());
        Map<String, String> passAttrs = attributes(r, d + "pass-attrs");
        attributes(r, d + "user-attrs"); // checked; the mailbox location fields have no meaning here
        String scheme = r.string(d + "default-pass-scheme");
        if (io.mailfleet.core.auth.Scheme.byName(scheme).isEmpty()) {
            throw r.invalid(d + "default-pass-scheme", scheme, "a password scheme such as SSHA, SSHA512 or SHA512-CRYPT");
        }
        PasswordLookup logins = new PasswordLookup(dovecot, passFilter, passAttrs, r.bool(d + "auth-bind"),
                scheme.toUpperCase(Locale.ROOT), resultAttribute);

        String s = P + "saslauthd.";
        PasswordLookup smtp = logins;
        boolean sasl = r.bool(s + "enabled");
        List<String> mechanisms = List.of(r.string(s + "mechanisms").toLowerCase(Locale.ROOT).split("[\\s,]+"));
        if (enabled && sasl && mechanisms.contains("ldap")) {
            Optional<Path> saslCa = optionalFile(r, s + "tls-cacert-file").or(() -> ca);
            LdapEndpoint saslEndpoint = endpoint(r, s + "server", orElse(r.string(s + "server"), host),
                    orElse(r.string(s + "search-base"), lookups.base()), orElse(r.string(s + "bind-dn"), lookups.bindDn()),
                    orElse(r.untrimmedString(s + "password"), lookups.bindPassword()), r.bool(s + "start-tls"), saslCa, true);
            Map<String, String> methods = new LinkedHashMap<>();
            methods.put("", "bind");
            methods.put("bind", "bind");
            methods.put("fastbind", "bind");
            methods.put("custom", "custom");
            boolean bind = r.choice(s + "auth-method", methods).equals("bind");
            String passwordAttr = orElse(r.string(s + "password-attr"), "userPassword");
            smtp = new PasswordLookup(saslEndpoint, filter(r, s + "filter", null), Map.of(passwordAttr, "password"), bind,
                    scheme.toUpperCase(Locale.ROOT), resultAttribute);
        }
        Duration timeout = r.durationIn(P + "timeout", Duration.ofMillis(100), Duration.ofMinutes(2), "a time-out");
        Duration ttl = r.durationIn(P + "cache-ttl", Duration.ofSeconds(1), Duration.ofHours(24), "a cache lifetime");
        int cacheSize = r.intIn(P + "cache-size", 1, 10_000_000);
        int connections = r.intIn(P + "connections", 1, 256);
        return new LdapSettings(enabled, lookups, user, group, alias, domain, senders, resultAttribute, logins, smtp,
                timeout, ttl, cacheSize, connections);
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static LdapSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static LdapFilter filter(ValueReader r, String key, String fallback) {
        String template = orElse(r.string(key), fallback);
        if (template == null || template.isEmpty()) {
            throw r.invalid(key, "", "an LDAP filter such as (&(mail=%s)(mailEnabled=TRUE))");
        }
        try {
            return LdapFilter.of(template);
        } catch (IllegalArgumentException e) {
            throw r.invalid(key, template, "an LDAP filter (RFC 4515) with %s, %u, %n or %d placeholders: " + e.getMessage());
        }
    }

    private static LdapEndpoint endpoint(ValueReader r, String key, String uris, String base, String bindDn,
                                         String bindPassword, boolean startTls, Optional<Path> ca, boolean required) {
        List<URI> parsed = new ArrayList<>();
        for (String u : uris.trim().split("\\s+")) {
            if (u.isEmpty()) {
                continue;
            }
            // docker-mailserver once took a bare host name; Postfix and Dovecot read it as ldap://host
            String withScheme = u.contains("://") ? u : "ldap://" + u;
            URI uri;
            try {
                uri = URI.create(withScheme);
            } catch (IllegalArgumentException e) {
                throw r.invalid(key, u, "an LDAP URI such as ldap://ldap.example.com:389");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("ldapi")) {
                throw r.invalid(key, u, "ldap:// or ldaps:// (ldapi:// Unix sockets are not supported)");
            }
            if (!scheme.equals("ldap") && !scheme.equals("ldaps") || uri.getHost() == null) {
                throw r.invalid(key, u, "an LDAP URI such as ldap://ldap.example.com:389 or ldaps://ldap.example.com");
            }
            parsed.add(uri);
        }
        if (required && parsed.isEmpty()) {
            throw r.invalid(key, uris, "an LDAP URI such as ldap://ldap.example.com");
        }
        return new LdapEndpoint(parsed, base, bindDn, bindPassword, startTls, ca);
    }

    /** Dovecot's {@code ldapAttr=field} list; {@code =field=%{ldap:attr}} templates are read as attr → field. */
    private static Map<String, String> attributes(ValueReader r, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        String value = r.string(key);
        for (String part : value.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (p.startsWith("=")) {
                int eq = p.indexOf('=', 1);
                int open = p.indexOf("%{ldap:");
                int close = p.indexOf('}', Math.max(open, 0));
                if (eq < 0 || open < 0 || close < 0) {
                    throw r.invalid(key, p, "ldapAttribute=field or =field=%{ldap:attribute} entries separated by commas");
                }
                out.put(p.substring(open + 7, close), p.substring(1, eq));
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw r.invalid(key, p, "ldapAttribute=field entries separated by commas");
            }
            out.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        return out;
    }

    private static Optional<Path> optionalFile(ValueReader r, String key) {
        String v = r.string(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(v);
        if (!Files.isReadable(p)) {
            throw r.invalid(key, v, "a readable PEM file of CA certificates");
        }
        return Optional.of(p);
    }
}
