package io.mailfleet.server.scan;

import io.mailfleet.cluster.mailbox.ClusterMailboxService;
import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.core.dkim.DkimSigner;
import io.mailfleet.core.dkim.DkimSigningKey;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.mime.MessageParser;
import io.mailfleet.core.mime.MessageSummary;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message is parsed once from the end of its DATA to the mailbox: on a real node's port 25 with DKIM
 * verification, the built-in scorer with its classifier and URL block lists (each of which reads the
 * message's structure), the message goes through the checks, the Authentication-Results and X-Spam fields
 * on top, the queue and the delivery with one pass of the MIME parser, and the mailbox keeps the structure
 * of the stored bytes exactly as a fresh parse of them gives it.
 */
class ParseOnceEndToEndTest {

    @TempDir
    Path data;
    private TestDnsServer dns;
    private DkimSigner signer;

    @BeforeEach
    void zone() throws Exception {
        KeyPair pair = DkimKeys.generateRsa(2048);
        signer = new DkimSigner(new DkimSigningKey("signer.test", "mail", pair.getPrivate()), Clock.systemUTC());
        dns = new TestDnsServer().txt("signer.test", "v=spf1 ip4:127.0.0.0/8 -all")
                .txt("mail._domainkey.signer.test", DkimKeys.dnsRecord(pair.getPublic()))
                .a("listed-link.com.uribl.test", "127.0.0.2");
    }

    @AfterEach
    void stop() throws Exception {
        dns.close();
    }

    /** A signed text and HTML alternative linking to {@code href}. */
    private String signed(String subject, String href) throws Exception {
        String message = "From: Sender <x@signer.test>\r\nTo: " + ScanMail.ACCOUNT + "\r\nSubject: " + subject
                + "\r\nDate: Mon, 7 Dec 2026 02:00:00 +0000\r\nMessage-ID: <" + subject.replace(' ', '-')
                + "@signer.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
                + "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nOur offer, see the link.\r\n"
                + "--alt\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "<p>Our offer: <a href=3D\"" + href + "\">see the link</a>.</p>\r\n--alt--\r\n";
        return signer.sign(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8))) + message;
    }

    @Test
    void fromTheEndOfDataToTheMailboxTheMessageIsParsedOnce() throws Exception {
        var server53 = dns.settings(Duration.ofSeconds(2)).server();
        Map<String, String> env = ScanMail.env(data, Map.of("MAILFLEET_SPAM_SCORER", "1",
                "ENABLE_OPENDKIM", "1", "ENABLE_POLICYD_SPF", "1",
                "MAILFLEET_DNS_SERVER", server53.getAddress().getHostAddress() + ":" + server53.getPort(),
                "MAILFLEET_URL_DNSBL_LISTS", "uribl.test=127.0.0.2:URIBL_TEST*7"), "");
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(ScanMail.ACCOUNT, "secret", false))) {
            long before = MessageParser.passes();
            assertTrue(ScanMail.sendFrom(server, "127.0.0.2", "x@signer.test",
                    signed("offer", "https://www.listed-link.com/deal")).startsWith("250 "));
            assertTrue(ScanMail.sendFrom(server, "127.0.0.2", "x@signer.test",
                    signed("news", "http://www.unlisted-link.org/")).startsWith("250 "));
            List<String> junk = ScanMail.await(server, "Junk", 1);
            List<String> inbox = ScanMail.await(server, "INBOX", 1);
            long passes = MessageParser.passes() - before;

            // the checks read the one parse: the listed link in the quoted-printable HTML part was found,
            // the signature verified, and both added their fields on top
            String spam = junk.get(0);
            assertTrue(spam.contains("X-Spam-Flag: YES\r\n"), spam);
            assertTrue(spam.contains("URIBL_TEST=7"), spam);
            assertTrue(spam.contains("dkim=pass (good signature) header.d=signer.test"), spam);
            String ham = inbox.get(0);
            assertFalse(ham.contains("X-Spam-"), ham);
            assertTrue(ham.startsWith("Authentication-Results: mail.example.com;"), ham);
            assertTrue(ham.contains("dkim=pass (good signature) header.d=signer.test"), ham);
            assertEquals(2, passes, "one MIME parser pass per message from the end of DATA to the mailbox");

            // what the mailbox keeps for IMAP is the parse of the bytes it stores (moved under the fields);
            // a summary missing there would be parsed on the executor, which refuses
            ClusterMailboxService imap = new ClusterMailboxService(server.system(), server.blobs(), r -> {
                throw new AssertionError("the mailbox has no summary of the delivered message");
            });
            for (String folder : List.of("INBOX", "Junk")) {
                MessageView v = imap.select(ScanMail.ACCOUNT, folder, false)
                        .toCompletableFuture().get(20, TimeUnit.SECONDS).messages().get(0);
                MessageSummary fresh;
                try (InputStream in = server.blobs().open(v.blob())) {
                    fresh = MessageParser.parse(in);
                }
                assertEquals(fresh, v.summary(), folder);
            }
        }
    }
}
