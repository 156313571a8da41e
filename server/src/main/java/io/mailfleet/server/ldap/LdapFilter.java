package io.mailfleet.server.ldap;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;

/**
 * A docker-mailserver filter template with the placeholders Postfix and Dovecot expand: {@code %s}
 * (the looked-up key: an address, {@code @domain} or a domain), {@code %u} (the login), {@code %n} /
 * {@code %U} (its local part), {@code %d} (its domain), {@code %%} (a percent sign). Every value put
 * into the filter is escaped as an assertion value (RFC 4515 §3: {@code * ( ) \ NUL}), so a login such
 * as {@code *)(uid=*} matches nothing instead of rewriting the filter.
 */
public final class LdapFilter {

    private final String template;

    private LdapFilter(String template) {
        this.template = template;
    }

    /**
     * @throws IllegalArgumentException when the template with its placeholders filled is no LDAP filter
     */
    public static LdapFilter of(String template) {
        LdapFilter f = new LdapFilter(template.trim());
        try {
            Filter.create(f.expand("probe@example.com", "probe@example.com"));
        } catch (LDAPException e) {
            throw new IllegalArgumentException(e.getExceptionMessage(), e);
        }
        return f;
    }

    public String template() {
        return template;
    }

    /** The filter for a Postfix look-up of {@code key} ({@code %s}); the login placeholders get the key too. */
    public Filter forKey(String key) {
        return parse(expand(key, key));
    }

    /** The filter for a login ({@code %u}, {@code %n}, {@code %d}; {@code %s} is the login as well). */
    public Filter forLogin(String login) {
        return parse(expand(login, login));
    }

    private static Filter parse(String filter) {
        try {
            return Filter.create(filter);
        } catch (LDAPException e) {
            // cannot happen for a template that parsed at start-up: every value is escaped
            throw new IllegalStateException("LDAP filter " + filter + ": " + e.getExceptionMessage(), e);
        }
    }

    String expand(String key, String login) {
        int at = login.lastIndexOf('@');
        String local = at < 0 ? login : login.substring(0, at);
        String domain = at < 0 ? "" : login.substring(at + 1);
        StringBuilder out = new StringBuilder(template.length() + 32);
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '%' || i + 1 == template.length()) {
                out.append(c);
                continue;
            }
            char p = template.charAt(++i);
            switch (p) {
                case 's' -> out.append(escape(key));
                case 'u' -> out.append(escape(login));
                case 'n', 'U' -> out.append(escape(local));
                case 'd' -> out.append(escape(domain));
                case '%' -> out.append('%');
                default -> out.append('%').append(p);
            }
        }
        return out.toString();
    }

    /** RFC 4515 assertion-value escaping of one value. */
    static String escape(String value) {
        return Filter.encodeValue(value);
    }

    @Override
    public String toString() {
        return template;
    }
}
