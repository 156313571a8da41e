package io.mailfleet.server.ldap;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchScope;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * docker-mailserver's placeholders and RFC 4515 escaping, checked by searching a real LDAP server: an
 * injected login finds nothing, where the same text pasted into the filter unescaped finds entries.
 */
class LdapFilterTest {

    @Test
    void placeholdersExpandAsPostfixAndDovecotDo() {
        LdapFilter f = LdapFilter.of("(&(mail=%s)(uid=%n)(dc=%d)(login=%u)(pct=100%%))");
        assertEquals("(&(mail=a.b@example.test)(uid=a.b)(dc=example.test)(login=a.b@example.test)(pct=100%))",
                f.forLogin("a.b@example.test").toString());
        assertEquals("(&(mail=*@example.test)(mailEnabled=TRUE))",
                LdapFilter.of("(&(mail=*@%s)(mailEnabled=TRUE))").forKey("example.test").toString());
    }

    @Test
    void everyValueIsEscapedPerRfc4515() {
        LdapFilter f = LdapFilter.of("(&(objectClass=PostfixBookMailAccount)(mail=%u))");
        assertEquals("(&(objectClass=PostfixBookMailAccount)(mail=\\2a\\29\\28uid=\\2a))", f.forLogin("*)(uid=*").toString());
        assertEquals("(&(objectClass=PostfixBookMailAccount)(mail=a\\5cb\\00c))", f.forLogin("a\\b\u0000c").toString());
    }

    @Test
    void aFilterThatIsNoFilterIsRefusedAtStartUp() {
        assertThrows(IllegalArgumentException.class, () -> LdapFilter.of("(mail=%s"));
        assertThrows(IllegalArgumentException.class, () -> LdapFilter.of("mail=%s)(x"));
    }

    @Test
    void injectedLoginsMatchNothingOnARealServer() throws Exception {
        try (DmsLdapServer ldap = new DmsLdapServer();
             LDAPConnection c = new LDAPConnection("127.0.0.1", ldap.port(), DmsLdapServer.ADMIN_DN, DmsLdapServer.ADMIN_PW)) {
            String template = "(&(objectClass=PostfixBookMailAccount)(mail=%u))";
            LdapFilter f = LdapFilter.of(template);
            for (String hostile : new String[] {"*", "some.u*", "*)(uid=*", "*)(|(mail=*", "some.user@example.test)(mail=*"}) {
                int escaped = c.search(DmsLdapServer.BASE, SearchScope.SUB, f.forLogin(hostile)).getEntryCount();
                assertEquals(0, escaped, hostile + " must match no entry");
            }
            // what the same logins would do pasted in unescaped: this is the attack the escaping stops
            int naive = c.search(DmsLdapServer.BASE, SearchScope.SUB,
                    Filter.create(template.replace("%u", "some.u*"))).getEntryCount();
            assertEquals(1, naive);
            assertEquals(1, c.search(DmsLdapServer.BASE, SearchScope.SUB, f.forLogin("some.user@example.test"))
                    .getEntryCount());
        }
    }
}
