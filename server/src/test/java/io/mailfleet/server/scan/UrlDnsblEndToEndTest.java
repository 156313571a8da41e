package io.mailfleet.server.scan;

import io.mailfleet.core.dns.LoopbackDnsServer;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in scorer's URL block lists on a real node's port 25, asking a block-list zone served by a
 * real DNS server on loopback through the node's one resolver (MAILFLEET_DNS_SERVER). 127.0.0.2 is an
 * Internet client. The resolver itself would wait 60 s for an answer; the lists' time-out is 1 s.
 */
class UrlDnsblEndToEndTest {

    @TempDir
    Path data;
    private LoopbackDnsServer dns;
    /** Counted down when the silent list is asked; the answer is held until {@link #release}. */
    private final CountDownLatch slowAsked = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch cleanAsked = new CountDownLatch(1);

    @BeforeEach
    void zone() throws Exception {
        dns = new LoopbackDnsServer();
        a("listed-link.com.uribl.test", "127.0.0.2");
        a("slow-link.com.uribl.test", "127.0.0.2"); // listed, but only answered after the 250
        dns.rewrite("slow-link.com.uribl.test", m -> {
            slowAsked.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return m;
        });
        dns.rewrite("unlisted-link.org.uribl.test", m -> {
            cleanAsked.countDown();
            return m;
        });
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        dns.close();
    }

    private void a(String name, String ip) throws Exception {
        dns.add(new ARecord(Name.fromString(name + "."), DClass.IN, 300, InetAddress.getByName(ip)));
    }

    /** A text and HTML alternative, the HTML quoted-printable, linking to {@code href}. */
    private static String message(String subject, String href) {
        return "From: <sender@remote.example>\r\nTo: <" + ScanMail.ACCOUNT + ">\r\nSubject: " + subject + "\r\n"
                + "Date: Mon, 7 Dec 2026 02:00:00 +0000\r\nMessage-ID: <" + subject.hashCode() + "@remote.example>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
                + "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nOur offer, see the link.\r\n"
                + "--alt\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "<p>Our offer: <a href=3D\"" + href + "\">see the link</a>.</p>\r\n"
                + "--alt--\r\n";
    }

    @Test
    void aListedLinkScoresItsSymbolAnUnlistedOneNothingAndASilentListNeverHoldsTheMessage() throws Exception {
        Map<String, String> env = ScanMail.env(data, Map.of("MAILFLEET_SPAM_SCORER", "1",
                "MAILFLEET_DNS_SERVER", "127.0.0.1:" + dns.address().getPort(),
                "MAILFLEET_URL_DNSBL_LISTS", "uribl.test=127.0.0.2:URIBL_TEST*7",
                "MAILFLEET_URL_DNSBL_TIMEOUT", "1s"), "mailfleet.outbound.dns-timeout = 60s\n");
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(ScanMail.ACCOUNT, "secret", false))) {
            // listed: 7 >= SA_TAG2 6.31, so spam, filed in Junk with the symbol in X-Spam-Status
            assertTrue(ScanMail.send(server, "127.0.0.2", message("offer", "https://WWW.Listed-Link.com./deal/1"))
                    .startsWith("250 "));
            String junk = ScanMail.await(server, "Junk", 1).get(0);
            assertTrue(junk.startsWith("X-Spam-Flag: YES\r\nX-Spam-Score: 7\r\n"), junk);
            assertTrue(junk.contains("URIBL_TEST=7"), junk);

            // unlisted: asked, not listed, delivered without any X-Spam field
            assertTrue(ScanMail.send(server, "127.0.0.2", message("news", "http://www.unlisted-link.org/"))
                    .startsWith("250 "));
            assertTrue(cleanAsked.await(0, TimeUnit.SECONDS), "the list was asked about unlisted-link.org");
            String inbox = ScanMail.await(server, "INBOX", 1).get(0);
            assertFalse(inbox.contains("X-Spam-"), inbox);

            // silent: the list is asked, the 250 comes while its answer is still held back
            String reply = ScanMail.send(server, "127.0.0.2", message("later", "http://slow-link.com/"));
            assertTrue(reply.startsWith("250 "), reply);
            assertEquals(0, slowAsked.getCount(), "the list was asked before the message was accepted");
            release.countDown();
            List<String> delivered = ScanMail.await(server, "INBOX", 2);
            assertFalse(delivered.get(1).contains("URIBL_TEST"), delivered.get(1));
            assertFalse(delivered.get(1).contains("X-Spam-"), delivered.get(1));
        }
    }
}
