package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker-mailserver's LDAP variables read into {@link LdapSettings}: fall-backs, defaults, and bad values naming their key. */
class LdapSettingsTest {

    private static Map<String, String> ldap(String... kv) {
        Map<String, String> env = new HashMap<>();
        env.put("ACCOUNT_PROVISIONER", "LDAP");
        env.put("LDAP_SERVER_HOST", "ldap://ldap.example.test");
        env.put("LDAP_SEARCH_BASE", "ou=people,dc=example,dc=test");
        env.put("LDAP_BIND_DN", "cn=admin,dc=example,dc=test");
        env.put("LDAP_BIND_PW", "admin");
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    private static LdapSettings read(Map<String, String> env) {
        return LdapSettings.of(MailfleetConfig.load(null, env));
    }

    private static String error(Map<String, String> env) {
        return assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, env)).getMessage();
    }

    @Test
    void fileAccountsByDefault() {
        assertFalse(read(Map.of()).enabled());
        assertFalse(read(Map.of("ACCOUNT_PROVISIONER", "FILE")).enabled());
    }

    @Test
    void dovecotAndSaslauthdFallBackToTheLdapVariables() {
        LdapSettings s = read(ldap("LDAP_START_TLS", "yes", "ENABLE_SASLAUTHD", "1", "SASLAUTHD_MECHANISMS", "ldap"));
        assertTrue(s.enabled());
        assertEquals(URI.create("ldap://ldap.example.test"), s.logins().endpoint().uris().get(0));
        assertEquals("ou=people,dc=example,dc=test", s.logins().endpoint().base());
        assertEquals("cn=admin,dc=example,dc=test", s.logins().endpoint().bindDn());
        assertTrue(s.logins().endpoint().startTls());
        // docker-mailserver's defaults: the pass filter is the user filter, PostfixBook attributes
        assertEquals("(&(objectClass=PostfixBookMailAccount)(uniqueIdentifier=%n))", s.logins().filter().template());
        assertEquals("userPassword", s.logins().attributeFor("password"));
        assertEquals("SSHA", s.logins().defaultScheme());
        // saslauthd: its own filter, bind authentication
        assertEquals("(&(uniqueIdentifier=%u)(mailEnabled=TRUE))", s.smtpLogins().filter().template());
        assertTrue(s.smtpLogins().authBind());
        assertEquals("(|(&(mail=%s)(mailEnabled=TRUE))(&(mailAlias=%s)(mailEnabled=TRUE))"
                + "(&(mailGroupMember=%s)(mailEnabled=TRUE)))", s.sendersFilter().template());
    }

    @Test
    void withoutSaslauthdSmtpAuthUsesTheDovecotSettings() {
        LdapSettings s = read(ldap("DOVECOT_AUTH_BIND", "yes", "DOVECOT_PASS_ATTRS", "mail=user,userPassword=password"));
        assertSame(s.logins(), s.smtpLogins());
        assertTrue(s.logins().authBind());
        assertEquals("mail", s.logins().attributeFor("user"));
    }

    @Test
    void badValuesStopStartUpNamingTheirKey() {
        assertTrue(error(Map.of("ACCOUNT_PROVISIONER", "LDAP")).contains("mailfleet.ldap.server-host"));
        assertTrue(error(ldap("LDAP_SERVER_HOST", "ldapi://%2fvar%2frun%2fslapd")).contains("mailfleet.ldap.server-host"));
        assertTrue(error(ldap("LDAP_QUERY_FILTER_USER", "(mail=%s")).contains("mailfleet.ldap.query-filter-user"));
        assertTrue(error(ldap("DOVECOT_PASS_FILTER", "uid=%u)(")).contains("mailfleet.ldap.dovecot.pass-filter"));
        assertTrue(error(ldap("DOVECOT_PASS_ATTRS", "userPassword")).contains("mailfleet.ldap.dovecot.pass-attrs"));
        assertTrue(error(ldap("DOVECOT_DEFAULT_PASS_SCHEME", "ROT13")).contains("mailfleet.ldap.dovecot.default-pass-scheme"));
        assertTrue(error(ldap("DOVECOT_LDAP_VERSION", "2")).contains("mailfleet.ldap.dovecot.ldap-version"));
        assertTrue(error(ldap("LDAP_START_TLS", "maybe")).contains("mailfleet.ldap.start-tls"));
        assertTrue(error(ldap("MAILFLEET_LDAP_CA_FILE", "/nonexistent/ca.pem")).contains("mailfleet.ldap.ca-file"));
        assertTrue(error(Map.of("ACCOUNT_PROVISIONER", "OIDC")).contains("mailfleet.account-provisioner"));
        assertTrue(error(Map.of("ACCOUNT_PROVISIONER", "SQL")).contains("mailfleet.account-provisioner"));
    }
}
