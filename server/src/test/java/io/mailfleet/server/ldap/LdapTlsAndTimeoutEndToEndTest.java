package io.mailfleet.server.ldap;

import io.mailfleet.protocols.outbound.TestCa;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * LDAP over TLS with the configured CA (ldaps:// for the Postfix look-ups, StartTLS for the Dovecot
 * logins, which bind as the user: DOVECOT_AUTH_BIND=yes with docker-mailserver's default
 * {@code uniqueIdentifier=%n} filter), and an LDAP server that accepts connections and never answers.
 */
class LdapTlsAndTimeoutEndToEndTest {

    @TempDir
    Path data;

    @Test
    void ldapsLookupsAndStartTlsAuthBindTrustTheConfiguredCa() throws Exception {
        TestCa ca = new TestCa("LDAP test CA");
        Path caFile = ca.writePem(data.resolve("ldap-ca.pem"));
        try (DmsLdapServer ldap = new DmsLdapServer(ca.server("localhost"))) {
            Map<String, String> env = LdapAccountsEndToEndTest.dmsLdapEnv("ldaps://localhost:" + ldap.ldapsPort());
            env.put("MAILFLEET_LDAP_CA_FILE", caFile.toString());
            env.put("DOVECOT_URIS", "ldap://localhost:" + ldap.port());
            env.put("DOVECOT_TLS", "yes");
            env.put("DOVECOT_AUTH_BIND", "yes");
            env.remove("DOVECOT_PASS_FILTER");
            env.remove("DOVECOT_USER_FILTER"); // docker-mailserver's default: (uniqueIdentifier=%n)
            // SMTP AUTH through saslauthd's settings: its own filter (%U = local part), bind as the user, over ldaps
            env.put("ENABLE_SASLAUTHD", "1");
            env.put("SASLAUTHD_MECHANISMS", "ldap");
            env.put("SASLAUTHD_LDAP_FILTER", "(&(uniqueIdentifier=%U)(mailEnabled=TRUE))");
            try (MailfleetServer server = TestServers.start(TestServers.env(data.resolve("node"), env), null)) {
                try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, server.listeners().smtpPorts().get(SmtpMode.MX), 30_000)) {
                    smtp.expect("220");
                    smtp.send("EHLO client.remote.example").expect("250");
                    smtp.send("MAIL FROM:<sender@remote.example>").expect("250");
                    smtp.send("RCPT TO:<some.user@example.test>").expect("250");
                    smtp.send("RCPT TO:<nobody@example.test>").expect("550 5.1.1");
                    smtp.send("QUIT").expect("221");
                }
                try (Wire imap = Wire.imap(server.listeners().imapPorts().get(false))) {
                    imap.send("a1 LOGIN some.user@example.test wrong").expect("a1 NO [AUTHENTICATIONFAILED]");
                    imap.send("a2 LOGIN some.user@example.test secret").expect("a2 OK");
                }
                try (Wire sub = io.mailfleet.testkit.Smtp.submission(server.listeners().smtpPorts().get(SmtpMode.SUBMISSION),
                        "some.user@example.test", "secret")) {
                    io.mailfleet.testkit.Smtp.command(sub, "MAIL FROM:<some.user@example.test>", "250");
                    io.mailfleet.testkit.Smtp.command(sub, "RSET", "250");
                }
                try (Wire sub = Wire.connect(Wire.Protocol.SMTP, server.listeners().smtpPorts().get(SmtpMode.SUBMISSION), 30_000)) {
                    sub.expect("220");
                    sub.send("EHLO client.example").expect("250");
                    sub.send("AUTH PLAIN " + java.util.Base64.getEncoder().encodeToString(
                            "\0other.user@example.test\0wrong".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                            .expect("535 5.7.8");
                    // saslauthd's filter, not Dovecot's, decides SMTP AUTH: mailEnabled=FALSE fails here...
                    sub.send("AUTH PLAIN " + java.util.Base64.getEncoder().encodeToString(
                            "\0gone.user@example.test\0secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                            .expect("535 5.7.8");
                }
                // ...while docker-mailserver's default Dovecot filter (uniqueIdentifier=%n) does not look at it
                try (Wire imap = Wire.imap(server.listeners().imapPorts().get(false))) {
                    imap.send("g1 LOGIN gone.user@example.test secret").expect("g1 OK");
                }
                // the bind that succeeded is remembered (a salted digest), the wrong password still is not
                try (Wire imap = Wire.imap(server.listeners().imapPorts().get(false))) {
                    imap.send("b1 LOGIN some.user@example.test wrong").expect("b1 NO [AUTHENTICATIONFAILED]");
                }
            }
            // the same server without trusting its CA: no answer is an unavailable directory, never "unknown"
            Map<String, String> untrusted = LdapAccountsEndToEndTest.dmsLdapEnv("ldaps://localhost:" + ldap.ldapsPort());
            untrusted.put("MAILFLEET_LDAP_TIMEOUT", "2s");
            try (MailfleetServer server = TestServers.start(TestServers.env(data.resolve("node2"), untrusted), null);
                 Wire smtp = Wire.connect(Wire.Protocol.SMTP, server.listeners().smtpPorts().get(SmtpMode.MX), 30_000)) {
                smtp.expect("220");
                smtp.send("EHLO client.remote.example").expect("250");
                smtp.send("MAIL FROM:<sender@remote.example>").expect("250");
                smtp.send("RCPT TO:<some.user@example.test>").expect("451 4.3.0");
                smtp.send("QUIT").expect("221");
            }
        }
    }

    @Test
    void anLdapServerThatHangsGivesTemporaryFailuresAfterTheTimeOut() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = hanging.accept(); // connects, then never says a word
                        synchronized (held) {
                            held.add(s);
                        }
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            }, "hanging-ldap");
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, String> env = LdapAccountsEndToEndTest.dmsLdapEnv("ldap://127.0.0.1:" + hanging.getLocalPort());
            env.put("MAILFLEET_LDAP_TIMEOUT", "1s");
            try (MailfleetServer server = TestServers.start(TestServers.env(data, env), null)) {
                try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, server.listeners().smtpPorts().get(SmtpMode.MX), 30_000)) {
                    smtp.expect("220");
                    smtp.send("EHLO client.remote.example").expect("250");
                    smtp.send("MAIL FROM:<sender@remote.example>").expect("250");
                    smtp.send("RCPT TO:<some.user@example.test>").expect("451 4.3.0");
                    smtp.send("QUIT").expect("221");
                }
                try (Wire imap = Wire.imap(server.listeners().imapPorts().get(false))) {
                    imap.send("a1 LOGIN some.user@example.test secret").expect("a1 NO [UNAVAILABLE]");
                    imap.send("a2 LOGOUT").expect("a2 OK");
                }
            }
        } finally {
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
