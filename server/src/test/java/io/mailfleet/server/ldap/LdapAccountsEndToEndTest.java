package io.mailfleet.server.ldap;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ACCOUNT_PROVISIONER=LDAP} end to end: a started node whose accounts, aliases, groups and domain
 * live in a real LDAP server (UnboundID in-memory, docker-mailserver's test LDIF and filters), spoken to
 * over SMTP, IMAP and POP3 through the testkit {@link Wire}.
 */
class LdapAccountsEndToEndTest {

    @TempDir
    Path data;

    /** The variables docker-mailserver's own LDAP test sets (test/tests/serial/mail_with_ldap.bats). */
    static Map<String, String> dmsLdapEnv(String uri) {
        Map<String, String> env = new HashMap<>();
        env.put("ACCOUNT_PROVISIONER", "LDAP");
        env.put("LDAP_SERVER_HOST", uri);
        env.put("LDAP_SEARCH_BASE", "ou=users," + DmsLdapServer.BASE);
        env.put("LDAP_BIND_DN", DmsLdapServer.ADMIN_DN);
        env.put("LDAP_BIND_PW", DmsLdapServer.ADMIN_PW);
        env.put("LDAP_START_TLS", "no");
        env.put("LDAP_QUERY_FILTER_USER", "(&(mail=%s)(mailEnabled=TRUE))");
        env.put("LDAP_QUERY_FILTER_GROUP", "(&(mailGroupMember=%s)(mailEnabled=TRUE))");
        env.put("LDAP_QUERY_FILTER_ALIAS", "(|(&(mailAlias=%s)(objectClass=PostfixBookMailForward))"
                + "(&(mailAlias=%s)(objectClass=PostfixBookMailAccount)(mailEnabled=TRUE)))");
        env.put("LDAP_QUERY_FILTER_DOMAIN", "(|(&(mail=*@%s)(objectClass=PostfixBookMailAccount)(mailEnabled=TRUE))"
                + "(&(mailGroupMember=*@%s)(objectClass=PostfixBookMailAccount)(mailEnabled=TRUE))"
                + "(&(mailalias=*@%s)(objectClass=PostfixBookMailForward)))");
        env.put("DOVECOT_PASS_FILTER", "(&(objectClass=PostfixBookMailAccount)(mail=%u)(mailEnabled=TRUE))");
        env.put("DOVECOT_USER_FILTER", "(&(objectClass=PostfixBookMailAccount)(mail=%u)(mailEnabled=TRUE))");
        env.put("SPOOF_PROTECTION", "1");
        return env;
    }

    @Test
    void ldapAccountsAliasesGroupsLoginsAndAnLdapServerThatStops() throws Exception {
        try (DmsLdapServer ldap = new DmsLdapServer();
             MailfleetServer server = TestServers.start(TestServers.env(data, dmsLdapEnv(ldap.uri())), null)) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            int imapPort = server.listeners().imapPorts().get(false);
            try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, mx, 30_000)) {
                smtp.expect("220");
                smtp.send("EHLO client.remote.example").expect("250");
                smtp.send("MAIL FROM:<sender@remote.example>").expect("250");
                smtp.send("RCPT TO:<nobody@example.test>").expect("550 5.1.1");
                smtp.send("RCPT TO:<gone.user@example.test>").expect("550 5.1.1"); // mailEnabled=FALSE
                smtp.send("RCPT TO:<Some.User@example.test>").expect("250");
                smtp.send("RCPT TO:<some.alias@example.test>").expect("250");
                smtp.send("DATA").expect("354");
                smtp.send("Subject: to the user and the alias\r\n\r\nhello\r\n.").expect("250");
                smtp.send("MAIL FROM:<sender@remote.example>").expect("250");
                smtp.send("RCPT TO:<employees@example.test>").expect("250"); // the group
                smtp.send("RCPT TO:<forward@example.test>").expect("250"); // a PostfixBookMailForward
                smtp.send("DATA").expect("354");
                smtp.send("Subject: to the group\r\n\r\nhello all\r\n.").expect("250");
                smtp.send("QUIT").expect("221");
            }
            assertTrue(subjects(server, "some.user@example.test", 2).containsAll(
                    List.of("to the user and the alias", "to the group")));
            assertTrue(subjects(server, "other.user@example.test", 1).contains("to the group"));

            try (Wire imap = Wire.imap(imapPort)) {
                imap.send("a1 LOGIN some.user@example.test wrong").expect("a1 NO [AUTHENTICATIONFAILED]");
                // wildcards and filter syntax in a login are escaped (RFC 4515): they match no entry
                imap.send("a2 LOGIN \"some.u*\" secret").expect("a2 NO [AUTHENTICATIONFAILED]");
                imap.send("a3 LOGIN \"*)(uid=*\" secret").expect("a3 NO [AUTHENTICATIONFAILED]");
            }
            try (Wire imap = Wire.imap(imapPort)) {
                imap.send("b1 LOGIN gone.user@example.test secret").expect("b1 NO [AUTHENTICATIONFAILED]");
                imap.send("b2 LOGIN third.user@example.test third-pass").expect("b2 OK"); // no prefix: SSHA
            }
            try (Wire imap = Wire.imap(imapPort)) {
                imap.send("c1 LOGIN some.user@example.test secret").expect("c1 OK");
                String inbox = imap.send("c2 SELECT INBOX").expect("c2 OK");
                assertTrue(inbox.contains("* 2 EXISTS"), inbox);
            }
            try (Wire pop3 = Wire.pop3(server.listeners().otherPorts().get("pop3"))) {
                pop3.send("USER other.user@example.test").expect("+OK");
                pop3.send("PASS other-pass").expect("+OK");
                pop3.send("QUIT").expect("+OK");
            }
            // submission: SMTP AUTH against LDAP, and spoof protection by LDAP_QUERY_FILTER_SENDERS
            try (Wire sub = Smtp.submission(server.listeners().smtpPorts().get(SmtpMode.SUBMISSION),
                    "some.user@example.test", "secret")) {
                Smtp.command(sub, "MAIL FROM:<other.user@example.test>", "553 5.7.1");
                Smtp.command(sub, "MAIL FROM:<employees@example.test>", "250"); // a group of theirs
                Smtp.command(sub, "RSET", "250");
                Smtp.command(sub, "MAIL FROM:<some.alias@example.test>", "250"); // their alias
                Smtp.command(sub, "RSET", "250");
            }

            // a submission session logged in before LDAP goes away
            Wire held = Smtp.submission(server.listeners().smtpPorts().get(SmtpMode.SUBMISSION),
                    "some.user@example.test", "secret");

            ldap.stop();
            try (held) {
                // who may use this sender is asked now, and cannot be answered
                Smtp.command(held, "MAIL FROM:<not.asked.before@example.test>", "451 4.3.0");
                Smtp.command(held, "MAIL FROM:<some.alias@example.test>", "250"); // answered before: cached
                Smtp.command(held, "RSET", "250");
            }
            try (Wire sieve = Wire.sieve(server.listeners().otherPorts().get("managesieve"))) {
                String plain = java.util.Base64.getEncoder().encodeToString(
                        "\0late.user@example.test\0secret".getBytes(StandardCharsets.UTF_8));
                sieve.send("AUTHENTICATE \"PLAIN\" \"" + plain + "\"").expect("NO (TRYLATER)");
            }
            try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, mx, 30_000)) {
                smtp.expect("220");
                smtp.send("EHLO client.remote.example").expect("250");
                smtp.send("MAIL FROM:<sender@remote.example>").expect("250");
                // not asked before: with the server gone this is a temporary failure, not "user unknown"
                smtp.send("RCPT TO:<late.user@example.test>").expect("451 4.3.0");
                smtp.send("RCPT TO:<never.asked@example.test>").expect("451 4.3.0");
                // answers this node already holds are still used within their TTL
                smtp.send("RCPT TO:<some.user@example.test>").expect("250");
                smtp.send("QUIT").expect("221");
            }
            try (Wire imap = Wire.imap(imapPort)) {
                imap.send("d1 LOGIN late.user@example.test secret").expect("d1 NO [UNAVAILABLE]");
                // a temporary failure is no failed login: the connection stays usable
                imap.send("d2 LOGIN never.asked@example.test secret").expect("d2 NO [UNAVAILABLE]");
                imap.send("d3 LOGOUT").expect("d3 OK");
            }
            try (Wire pop3 = Wire.pop3(server.listeners().otherPorts().get("pop3"))) {
                pop3.send("USER late.user@example.test").expect("+OK");
                pop3.send("PASS secret").expect("-ERR [SYS/TEMP]");
            }
            try (Wire sub = Wire.connect(Wire.Protocol.SMTP, server.listeners().smtpPorts().get(SmtpMode.SUBMISSION), 30_000)) {
                sub.expect("220");
                sub.send("EHLO client.example").expect("250");
                String plain = java.util.Base64.getEncoder().encodeToString(
                        "\0late.user@example.test\0secret".getBytes(StandardCharsets.UTF_8));
                sub.send("AUTH PLAIN " + plain).expect("454 4.7.0");
            }
        }
    }

    /** The subjects in the account's INBOX once it holds at least {@code count} messages. */
    static List<String> subjects(MailfleetServer server, String account, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<MessageMeta> got = List.of();
        while (System.nanoTime() < deadline) {
            got = server.node().mailboxes().messages(account, "INBOX").toCompletableFuture().get(20, TimeUnit.SECONDS);
            if (got.size() >= count) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(count, got.size(), "messages in " + account + "'s INBOX");
        List<String> out = new java.util.ArrayList<>();
        for (MessageMeta meta : got) {
            try (InputStream in = server.blobs().open(meta.blob())) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                int s = text.indexOf("Subject: ");
                out.add(text.substring(s + 9, text.indexOf('\r', s)));
            }
        }
        return out;
    }
}
