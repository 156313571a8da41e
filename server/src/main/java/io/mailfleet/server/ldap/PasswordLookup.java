package io.mailfleet.server.ldap;

import java.util.Map;

/**
 * How a login is checked against LDAP (Dovecot's passdb, or saslauthd for SMTP AUTH): the entry is
 * found with {@code filter} on {@code endpoint}; then either the user's own bind decides
 * ({@code authBind}, DOVECOT_AUTH_BIND / saslauthd's {@code bind}) or the attribute mapped to
 * {@code password} is compared with the project's password schemes.
 *
 * @param attributes          LDAP attribute → Dovecot field ({@code userPassword=password}, {@code uniqueIdentifier=user})
 * @param defaultScheme       the scheme of a stored password without a {@code {SCHEME}} prefix (DOVECOT_DEFAULT_PASS_SCHEME)
 * @param addressAttribute    the attribute holding the account's address when {@code user} is not one ({@code mail})
 */
public record PasswordLookup(LdapEndpoint endpoint, LdapFilter filter, Map<String, String> attributes, boolean authBind,
                             String defaultScheme, String addressAttribute) {

    public PasswordLookup {
        attributes = Map.copyOf(attributes);
    }

    /** The LDAP attribute mapped to {@code field}, or null. */
    public String attributeFor(String field) {
        return attributes.entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase(field))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }
}
