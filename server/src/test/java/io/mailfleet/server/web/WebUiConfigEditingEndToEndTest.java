package io.mailfleet.server.web;

import io.mailfleet.protocols.outbound.SinkSmtpServer;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin pages that change the node's configuration files, as a browser without JavaScript sends the
 * forms, against a node with a docker-mailserver configuration directory: a DKIM key made on the DKIM page
 * (the code of {@code ./mailfleet config dkim}) shows its TXT record, which the live DNS check then finds
 * published; a relay added on the relay page is in {@code postfix-relaymap.cf} and the next outbound message
 * goes through it; a relay login is saved and never shown; a regular-expression alias added on the aliases
 * page is in {@code postfix-regexp.cf} and mail to a matching address reaches its target over SMTP, while a
 * pattern the parser refuses comes back with the reason and the text as typed. Refusals carry the CLI's
 * words; markup shows as text; a form without its CSRF token changes nothing.
 */
class WebUiConfigEditingEndToEndTest {

    @TempDir
    static Path data;
    private static TestDnsServer dns;
    private static SinkSmtpServer relay;
    private static MailfleetServer server;
    private static String base;
    private static Path dms;

    @BeforeAll
    static void start() throws Exception {
        dms = data.resolve("dms");
        Files.createDirectories(dms);
        Files.writeString(dms.resolve("postfix-regexp.cf"), "# kept as it is\n/^info-.*@example\\.com$/ alice@example.com\n");
        dns = new TestDnsServer();
        relay = new SinkSmtpServer(InetAddress.getByName("127.0.0.7"), 0);
        var s = dns.settings(Duration.ofSeconds(2)).server();
        Map<String, String> env = TestServers.env(data.resolve("node"), Map.of("MAILFLEET_LOGIN_FAILURE_DELAY", "0s",
                "DMS_CONFIG_DIR", dms.toString(),
                "MAILFLEET_DNS_SERVER", s.getAddress().getHostAddress() + ":" + s.getPort(),
                "MAILFLEET_RETRY_FIRST", "1s", "MAILFLEET_RETRY_MAX", "2s", "MAILFLEET_SMTP_CLIENT_TIMEOUT", "5s"));
        server = TestServers.start(env, new FirstAccount("alice@example.com", "alice-pw", false));
        base = "http://127.0.0.1:" + env.get("MAILFLEET_MANAGEMENT_PORT");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        relay.close();
        dns.close();
    }

    private static FormClient admin() throws Exception {
        return FormClient.login(base, "admin", Files.readString(data.resolve("node").resolve("api-token")).strip());
    }

    @Test
    void aDkimKeyMadeOnThePageShowsItsRecordAndTheLiveCheckFindsItPublished() throws Exception {
        FormClient admin = admin();
        String page = admin.get("/ui/admin/dkim").body();
        assertTrue(page.contains("<label for=\"domain\">Domain</label>"), page);
        assertTrue(page.contains("No key: mail from example.com is not signed."), page);

        HttpResponse<String> bad = admin.post("/ui/admin/dkim", "domain", "example.com", "selector", "s1", "keysize", "3000");
        assertEquals("Invalid keysize '3000': possible values are 1024, 2048 and 4096", FormClient.notice(bad));
        assertEquals("The keysize option is not supported for keytype 'ed25519'", FormClient.notice(admin.post(
                "/ui/admin/dkim", "domain", "example.com", "selector", "s1", "keytype", "ed25519", "keysize", "1024")));
        HttpResponse<String> markup = admin.post("/ui/admin/dkim", "domain", "<script>x</script>", "selector", "s1");
        assertEquals("Invalid domain '<script>x</script>': expected a domain name such as example.com", FormClient.notice(markup));
        String shown = admin.follow(markup).body();
        assertTrue(shown.contains("Invalid domain &#39;&lt;script&gt;x&lt;/script&gt;&#39;"), shown);
        assertFalse(shown.contains("<script>x"), shown);
        assertEquals(403, admin.withCsrf("forged").post("/ui/admin/dkim", "domain", "example.com", "selector", "s1")
                .statusCode());
        assertFalse(Files.exists(dms.resolve("opendkim/keys/example.com/s1.private")), "nothing made without the token");

        HttpResponse<String> made = admin.post("/ui/admin/dkim", "domain", "Example.com", "selector", "s1",
                "keytype", "rsa", "keysize", "1024");
        assertEquals(303, made.statusCode(), made.body());
        assertEquals("DKIM key s1._domainkey.example.com created. Publish its TXT record, then check DNS.",
                FormClient.notice(made));
        assertTrue(Files.exists(dms.resolve("opendkim/keys/example.com/s1.private")), "in the directory the node signs from");
        assertTrue(Files.readString(dms.resolve("opendkim/SigningTable")).contains("*@example.com s1._domainkey.example.com"));
        page = admin.get("/ui/admin/dkim").body();
        Matcher txt = Pattern.compile("<tr><th scope=\"row\">example.com</th><td>s1</td><td class=\"dkim-signing\">yes</td>"
                + "<td><pre>s1._domainkey.example.com. TXT \"(v=DKIM1; h=sha256; k=rsa; p=[A-Za-z0-9+/=]+)\"</pre></td>").matcher(page);
        assertTrue(txt.find(), "the record to publish: " + page);
        assertTrue(FormClient.notice(admin.post("/ui/admin/dkim", "domain", "example.com", "selector", "s1"))
                .contains("already exists: not overwritten"));

        dns.txt("s1._domainkey.example.com", txt.group(1));
        String check = admin.get("/ui/admin/dkim/check?domain=example.com").body();
        assertTrue(check.contains("<p id=\"dns-summary\">1 of 1 records of example.com are published as they should be.</p>"),
                check);
        assertTrue(check.contains("<td class=\"dns-ok\">ok</td>"), check);
    }

    @Test
    void aRelayAddedOnThePageIsUsedByTheNextDeliveryAndItsLoginIsNeverShown() throws Exception {
        FormClient admin = admin();
        Path relayMap = dms.resolve("postfix-relaymap.cf");
        assertEquals("Port must be a number (1-65535), not 'smtp'", FormClient.notice(admin.post("/ui/admin/relay/domain",
                "domain", "example.com", "host", "127.0.0.7", "port", "smtp")));
        assertEquals("Invalid relay host 'relay host': expected a host name or IP address", FormClient.notice(
                admin.post("/ui/admin/relay/domain", "domain", "example.com", "host", "relay host", "port", "25")));
        HttpResponse<String> markup = admin.post("/ui/admin/relay/domain", "domain", "<b>x", "host", "127.0.0.7");
        assertEquals("Invalid domain '<b>x': expected a domain name such as example.com", FormClient.notice(markup));
        assertTrue(admin.follow(markup).body().contains("Invalid domain &#39;&lt;b&gt;x&#39;"));
        assertEquals(403, admin.withCsrf("").post("/ui/admin/relay/domain", "domain", "example.com", "host", "127.0.0.7")
                .statusCode());
        assertFalse(Files.exists(relayMap), "nothing written without the token");

        HttpResponse<String> added = admin.post("/ui/admin/relay/domain", "domain", "example.com", "host", "127.0.0.7",
                "port", Integer.toString(relay.port()));
        assertEquals("Mail from 'example.com' is relayed through [127.0.0.7]:" + relay.port() + " (postfix-relaymap.cf).",
                FormClient.notice(added));
        assertEquals("@example.com\t\t[127.0.0.7]:" + relay.port() + "\n", Files.readString(relayMap));
        String page = admin.get("/ui/admin/relay").body();
        assertTrue(page.contains("<tr><th scope=\"row\">example.com</th><td>[127.0.0.7]:" + relay.port() + "</td><td>none</td>"),
                page);

        // the outbound delivery reads the same files: the next message from example.com goes to the relay
        try (Wire submission = Smtp.submission(server.listeners().smtpPorts().get(SmtpMode.SUBMISSION),
                "alice@example.com", "alice-pw")) {
            Smtp.submit(submission, "<alice@example.com>", List.of("<far@remote.example>"),
                    "Subject: through the web relay\r\n\r\nhello\r\n");
        }
        waitFor(() -> relay.received.stream().anyMatch(r -> r.text().contains("through the web relay")));

        // a login for the relay itself ([host]:port, as for DEFAULT_RELAY_HOST): the next message logs in with it
        relay.starttls = true;
        relay.authUser = "hostuser";
        relay.authPassword = "host pw";
        String hop = "[127.0.0.7]:" + relay.port();
        assertEquals("Relay credentials for '" + hop + "' saved as user 'hostuser' (postfix-sasl-password.cf).",
                FormClient.notice(admin.post("/ui/admin/relay/auth", "domain", hop, "user", "hostuser",
                        "password", "host pw")));
        assertEquals(hop + "\t\thostuser:host pw\n", Files.readString(dms.resolve("postfix-sasl-password.cf")));
        try (Wire submission = Smtp.submission(server.listeners().smtpPorts().get(SmtpMode.SUBMISSION),
                "alice@example.com", "alice-pw")) {
            Smtp.submit(submission, "<alice@example.com>", List.of("<far@remote.example>"),
                    "Subject: logged in at the relay\r\n\r\nhello\r\n");
        }
        waitFor(() -> relay.received.stream().anyMatch(r -> r.text().contains("logged in at the relay")));
        SinkSmtpServer.Received second = relay.received.stream().filter(r -> r.text().contains("logged in at the relay"))
                .findFirst().orElseThrow();
        assertEquals("hostuser", second.authUser());
        assertTrue(second.tls(), "a relay login makes the connection use STARTTLS");
        assertEquals("Invalid relay '[127.0.0.7]': expected [host]:port", FormClient.notice(admin.post(
                "/ui/admin/relay/auth", "domain", "[127.0.0.7]", "user", "u", "password", "p")));

        HttpResponse<String> login = admin.post("/ui/admin/relay/auth", "domain", "example.com", "user", "relayuser",
                "password", "pass <script> word");
        assertEquals("Relay credentials for 'example.com' saved as user 'relayuser' (postfix-sasl-password.cf).",
                FormClient.notice(login));
        assertEquals(hop + "\t\thostuser:host pw\n@example.com\t\trelayuser:pass <script> word\n",
                Files.readString(dms.resolve("postfix-sasl-password.cf")));
        page = admin.get("/ui/admin/relay").body();
        assertTrue(page.contains("<li>@example.com: a user name and password are set"), page);
        assertTrue(page.contains("<input type=\"password\" id=\"login-password\" name=\"password\" required"
                + " autocomplete=\"new-password\">"), "the password field is always empty: " + page);
        assertFalse(page.contains("pass &lt;script&gt; word") || page.contains("pass <script> word")
                || page.contains("host pw"), "never a password: " + page);
        assertFalse(page.contains("relayuser") || page.contains("hostuser"), "not even the user name: " + page);
        assertTrue(page.contains("<li>" + hop + ": a user name and password are set <form"), page);
        assertEquals("No username specified", FormClient.notice(admin.post("/ui/admin/relay/auth", "domain", "example.com",
                "user", "", "password", "x")));

        assertEquals("Relay credentials for 'example.com' removed (postfix-sasl-password.cf).", FormClient.notice(
                admin.post("/ui/admin/relay/remove-auth", "domain", "example.com")));
        assertEquals(hop + "\t\thostuser:host pw\n", Files.readString(dms.resolve("postfix-sasl-password.cf")));
        assertEquals("Relay credentials for '" + hop + "' removed (postfix-sasl-password.cf).", FormClient.notice(
                admin.post("/ui/admin/relay/remove-auth", "domain", hop)));
        assertEquals("", Files.readString(dms.resolve("postfix-sasl-password.cf")));
        assertEquals("Mail from 'example.com' is delivered directly, not through RELAY_HOST (postfix-relaymap.cf).",
                FormClient.notice(admin.post("/ui/admin/relay/exclude", "domain", "example.com")));
        assertEquals("@example.com\n", Files.readString(relayMap));
        assertEquals("Mail from 'example.com' no longer has its own relay entry (postfix-relaymap.cf).",
                FormClient.notice(admin.post("/ui/admin/relay/remove-domain", "domain", "example.com")));
        assertEquals("", Files.readString(relayMap));
        assertTrue(FormClient.notice(admin.post("/ui/admin/relay/remove-domain", "domain", "example.com"))
                .startsWith("'example.com' has no entry in "));
    }

    @Test
    void aRegularExpressionAliasAddedOnThePageDeliversMatchingMail() throws Exception {
        FormClient admin = admin();
        Path file = dms.resolve("postfix-regexp.cf");
        HttpResponse<String> refused = admin.post("/ui/admin/aliases/regexp", "pattern", "/^(sales-.*@example\\.com$/",
                "targets", "alice@example.com");
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("The regular-expression alias was not saved: "), refused.body());
        assertTrue(refused.body().contains("value=\"/^(sales-.*@example\\.com$/\""), "the text as typed: " + refused.body());
        assertTrue(refused.body().contains("id=\"targets\" name=\"targets\" value=\"alice@example.com\""), refused.body());
        assertEquals(403, admin.withCsrf("x").post("/ui/admin/aliases/regexp", "pattern", "/^sales-.*@example\\.com$/",
                "targets", "alice@example.com").statusCode());
        assertFalse(Files.readString(file).contains("sales-"), "nothing written");

        HttpResponse<String> saved = admin.post("/ui/admin/aliases/regexp", "pattern", "/^sales-.*@example\\.com$/",
                "targets", "alice@example.com");
        assertEquals("Regular-expression alias /^sales-.*@example\\.com$/ saved.", FormClient.notice(saved));
        assertEquals("# kept as it is\n/^info-.*@example\\.com$/ alice@example.com\n/^sales-.*@example\\.com$/ alice@example.com\n",
                Files.readString(file));
        assertEquals(303, admin.post("/ui/admin/aliases/regexp", "pattern", "/<script>@x\\.example$/",
                "targets", "alice@example.com").statusCode());
        waitFor(() -> page(admin).contains("<code>/&lt;script&gt;@x\\.example$/</code>"));
        String page = page(admin);
        assertFalse(page.contains("<script>@"), page);
        assertTrue(page.indexOf("^info-") < page.indexOf("^sales-"), "in the file's order: " + page);

        // mail to a matching address reaches the target over SMTP
        try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, server.listeners().smtpPorts().get(SmtpMode.MX), 30_000)) {
            smtp.expect("220");
            smtp.send("EHLO client.remote.example").expect("250");
            smtp.send("MAIL FROM:<someone@remote.example>").expect("250");
            smtp.send("RCPT TO:<sales-north@example.com>").expect("250");
            smtp.send("DATA").expect("354");
            smtp.send("Subject: regexp-delivered\r\n\r\nfor sales\r\n.").expect("250");
            smtp.send("QUIT").expect("221");
        }
        waitFor(() -> inbox("regexp-delivered"));

        assertEquals("Regular-expression alias /<script>@x\\.example$/ removed.", FormClient.notice(
                admin.post("/ui/admin/aliases/regexp/remove", "pattern", "/<script>@x\\.example$/")));
        assertEquals("# kept as it is\n/^info-.*@example\\.com$/ alice@example.com\n/^sales-.*@example\\.com$/ alice@example.com\n",
                Files.readString(file));
        assertTrue(FormClient.notice(admin.post("/ui/admin/aliases/regexp/remove", "pattern", "/nothing/"))
                .contains("no regular-expression alias /nothing/"));
    }

    private static String page(FormClient admin) {
        try {
            return admin.get("/ui/admin/aliases").body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether alice's inbox holds a message with {@code subject}, asked over IMAP. */
    private static boolean inbox(String subject) {
        try (Wire imap = Wire.imap(server.listeners().imapPorts().get(false))) {
            assertTrue(Wire.last(imap.command("a1", "LOGIN alice@example.com alice-pw")).startsWith("a1 OK"));
            assertTrue(Wire.last(imap.command("a2", "SELECT INBOX")).startsWith("a2 OK"));
            return imap.command("a3", "SEARCH SUBJECT " + subject).stream().anyMatch(l -> l.matches("\\* SEARCH \\d+.*"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 60 s");
            }
            Thread.sleep(200);
        }
    }
}
