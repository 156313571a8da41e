package io.mailfleet.server.outbound;

import io.mailfleet.cluster.queue.QueueEntry;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.core.dkim.DkimResult;
import io.mailfleet.core.dkim.DkimVerifier;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.protocols.outbound.SinkSmtpServer;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.mailfleet.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code config dkim rotate|retire} against a running node: the new key is created and its record printed
 * and listed by {@code config dns} while mail stays signed with the old selector; {@code --confirm
 * --when-published} refuses until the test DNS server answers the new record, then the node signs with the
 * new selector (verified against the printed record); the old record stays listed until {@code retire}.
 */
class DkimRotationCommandsTest {

    private static final Pattern SELECTOR = Pattern.compile("[;\\s]s=([A-Za-z0-9._-]+)");

    @TempDir
    Path data;

    private final AtomicInteger sent = new AtomicInteger();

    @Test
    void rotateConfirmWhenPublishedAndRetireSwitchTheSigningKeyOfTheRunningNode() throws Exception {
        try (SinkSmtpServer mx = new SinkSmtpServer(InetAddress.getByName("127.0.0.8"), 0);
             TestDnsServer dns = new TestDnsServer().mx("remote.example", 10, "mx.remote.example")
                     .a("mx.remote.example", "127.0.0.8")) {
            Map<String, String> env = TestServers.env(data, Map.of(
                    "MAILFLEET_DNS_SERVER", "127.0.0.1:" + dns.settings(Duration.ofSeconds(2)).server().getPort(),
                    "MAILFLEET_OUTBOUND_MX_PORT", Integer.toString(mx.port()),
                    "MAILFLEET_RETRY_FIRST", "1s",
                    "MAILFLEET_RETRY_MAX", "2s",
                    "MAILFLEET_SMTP_CLIENT_TIMEOUT", "5s"));
            try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret-pw", false))) {
                Path keys = data.resolve("dkim");
                CliRun none = cli(env, "config", "dkim", "rotate", "example.com");
                assertEquals(1, none.code(), none.toString());
                assertTrue(none.err().contains("'example.com' has no DKIM key to rotate"), none.toString());
                CliRun noPending = cli(env, "config", "dkim", "rotate", "example.com", "--confirm");
                assertEquals(1, noPending.code());
                assertTrue(noPending.err().contains("no DKIM key rotation is pending for 'example.com'"), noPending.toString());

                CliRun first = cli(env, "config", "dkim", "selector", "old", "domain", "example.com");
                assertEquals(0, first.code(), first.toString());
                String oldRecord = record(first.out());
                dns.txt("old._domainkey.example.com", oldRecord);
                assertEquals("old", selectorOf(deliver(server, mx, "before rotation")));

                // rotate: a new key, its record printed, the old key keeps signing
                CliRun rotate = cli(env, "config", "dkim", "rotate", "Example.com", "--selector", "new2");
                assertEquals(0, rotate.code(), rotate.toString());
                assertTrue(rotate.out().contains("Publish this TXT record at new2._domainkey.example.com"), rotate.out());
                assertTrue(rotate.out().contains("'example.com' is still signed with selector 'old'"), rotate.out());
                String newRecord = record(rotate.out());
                assertTrue(Files.exists(keys.resolve("keys/example.com/new2.private")));
                assertTrue(Files.exists(keys.resolve("keys/example.com/new2.pending")));
                assertTrue(Files.readString(keys.resolve("KeyTable")).contains("new2._domainkey.example.com example.com:new2:"));
                assertFalse(Files.readString(keys.resolve("SigningTable")).contains("new2"), "not signing yet");
                CliRun both = cli(env, "config", "dns", "example.com");
                assertEquals(0, both.code(), both.toString());
                assertTrue(both.out().contains("old._domainkey.example.com. IN TXT")
                        && both.out().contains("new2._domainkey.example.com. IN TXT"), both.out());
                assertTrue(both.out().contains("; DKIM public key of a rotation, not signing yet: publish it, then"
                        + " ./mailfleet config dkim rotate example.com --confirm"), both.out());
                CliRun again = cli(env, "config", "dkim", "rotate", "example.com");
                assertEquals(1, again.code());
                assertTrue(again.err().contains("to selector 'new2' is pending"), again.toString());
                for (int i = 0; i < 3; i++) {
                    String msg = deliver(server, mx, "pending " + i);
                    assertEquals("old", selectorOf(msg), "signed with the old key until confirmed");
                    assertTrue(verify(msg, "old", oldRecord), "verifies with the old record");
                }

                // --when-published: refused until DNS answers the new record
                CliRun early = cli(env, "config", "dkim", "rotate", "example.com", "--confirm", "--when-published");
                assertEquals(1, early.code(), early.toString());
                assertTrue(early.err().contains("the TXT record at new2._domainkey.example.com is not published as printed"
                        + " (DNS has no such record yet)"), early.toString());
                assertTrue(Files.exists(keys.resolve("keys/example.com/new2.pending")));
                assertEquals("old", selectorOf(deliver(server, mx, "still old")));
                dns.txt("new2._domainkey.example.com", newRecord);
                CliRun confirm = cli(env, "config", "dkim", "rotate", "example.com", "--confirm", "--when-published");
                assertEquals(0, confirm.code(), confirm.toString());
                assertTrue(confirm.out().contains("new2._domainkey.example.com is published in DNS"), confirm.out());
                assertTrue(confirm.out().contains("'example.com' is now signed with selector 'new2'"), confirm.out());
                assertTrue(confirm.out().contains("Keep the TXT record at old._domainkey.example.com published for at least 7 days"),
                        confirm.out());
                assertFalse(Files.exists(keys.resolve("keys/example.com/new2.pending")));
                assertTrue(Files.readString(keys.resolve("SigningTable")).contains("*@example.com new2._domainkey.example.com"));

                // the node re-reads the directory: from some message on it signs with new2, and never again with old
                String switched = null;
                for (int i = 0; i < 30 && switched == null; i++) {
                    String msg = deliver(server, mx, "after confirm " + i);
                    if (selectorOf(msg).equals("new2")) {
                        switched = msg;
                    } else {
                        assertEquals("old", selectorOf(msg));
                    }
                }
                if (switched == null) {
                    fail("the node never signed with the new selector");
                }
                assertTrue(verify(switched, "new2", newRecord), "the printed record verifies the new signature");
                String later = deliver(server, mx, "later");
                assertEquals("new2", selectorOf(later));

                // the old record stays listed until retire; the signing key cannot be retired
                CliRun listed = cli(env, "config", "dns", "example.com");
                assertTrue(listed.out().contains("old._domainkey.example.com. IN TXT"), listed.out());
                assertTrue(listed.out().contains("; DKIM public key that does not sign now (an old or extra key): keep it"
                        + " published until ./mailfleet config dkim retire example.com old"), listed.out());
                CliRun signing = cli(env, "config", "dkim", "retire", "example.com", "new2");
                assertEquals(1, signing.code());
                assertTrue(signing.err().contains("selector 'new2' still signs the mail of 'example.com'"), signing.toString());
                CliRun unknown = cli(env, "config", "dkim", "retire", "example.com", "nope");
                assertEquals(1, unknown.code());
                assertTrue(unknown.err().contains("no DKIM key with selector 'nope' for 'example.com'"), unknown.toString());
                CliRun retire = cli(env, "config", "dkim", "retire", "example.com", "old");
                assertEquals(0, retire.code(), retire.toString());
                assertTrue(retire.out().contains("DKIM key 'old' of 'example.com' retired"), retire.out());
                assertFalse(Files.exists(keys.resolve("keys/example.com/old.private")));
                assertFalse(Files.readString(keys.resolve("KeyTable")).contains("old._domainkey"));
                CliRun after = cli(env, "config", "dns", "example.com");
                assertFalse(after.out().contains("old._domainkey.example.com"), after.out());
                assertTrue(after.out().contains("new2._domainkey.example.com. IN TXT"), after.out());
                assertEquals("new2", selectorOf(deliver(server, mx, "after retire")));

                // a pending rotation is cancelled by retiring its key; signing is untouched
                CliRun ed = cli(env, "config", "dkim", "rotate", "example.com", "--selector", "ed", "--keytype", "ed25519");
                assertEquals(0, ed.code(), ed.toString());
                assertTrue(ed.out().contains("k=ed25519"), ed.out());
                CliRun cancel = cli(env, "config", "dkim", "retire", "example.com", "ed");
                assertEquals(0, cancel.code(), cancel.toString());
                assertTrue(cancel.out().contains("the rotation of 'example.com' to selector 'ed' is cancelled"), cancel.out());
                assertFalse(Files.exists(keys.resolve("keys/example.com/ed.pending")));
                assertEquals(1, cli(env, "config", "dkim", "rotate", "example.com", "--confirm").code());
                assertEquals("new2", selectorOf(deliver(server, mx, "after cancel")));
            }
        }
    }

    @Test
    void usageErrorsOfRotateAndRetire() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of());
        CliRun noDomain = cli(env, "config", "dkim", "rotate");
        assertEquals(1, noDomain.code());
        assertTrue(noDomain.err().contains("No domain specified"), noDomain.toString());
        CliRun bad = cli(env, "config", "dkim", "rotate", "example.com", "--keytype", "dsa");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("Invalid keytype 'dsa'"), bad.toString());
        CliRun edSize = cli(env, "config", "dkim", "rotate", "example.com", "--keytype", "ed25519", "--keysize", "2048");
        assertEquals(1, edSize.code());
        CliRun unknown = cli(env, "config", "dkim", "rotate", "example.com", "--bits", "2048");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown option '--bits' for config dkim rotate"), unknown.toString());
        CliRun published = cli(env, "config", "dkim", "rotate", "example.com", "--when-published");
        assertEquals(1, published.code());
        assertTrue(published.err().contains("--when-published only goes with --confirm"), published.toString());
        CliRun notDomain = cli(env, "config", "dkim", "retire", "not a domain", "mail");
        assertEquals(1, notDomain.code());
        assertTrue(notDomain.err().contains("Invalid domain 'not a domain'"), notDomain.toString());
        assertEquals(1, cli(env, "config", "dkim", "retire", "example.com").code());
        CliRun help = cli(env, "config", "dkim", "rotate", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("./mailfleet config dkim rotate <DOMAIN> --confirm [--when-published]"), help.out());
        // docker-mailserver's word arguments of config dkim still work next to the subcommands
        CliRun words = cli(env, "config", "dkim", "selector", "s1", "domain", "example.com");
        assertEquals(0, words.code(), words.toString());
        assertTrue(Files.exists(data.resolve("dkim/keys/example.com/s1.private")));
    }

    static String record(String out) throws Exception {
        String printed = out.substring(out.indexOf("Publish this TXT record"));
        printed = printed.substring(printed.indexOf('\n'));
        return DkimKeys.recordFromZoneFileText(printed.substring(0, printed.indexOf(')') + 1));
    }

    static String selectorOf(String message) {
        assertTrue(message.startsWith("DKIM-Signature:"), message);
        String[] lines = message.split("\r\n");
        StringBuilder field = new StringBuilder(lines[0]);
        for (int i = 1; i < lines.length && (lines[i].startsWith(" ") || lines[i].startsWith("\t")); i++) {
            field.append(lines[i]);
        }
        Matcher m = SELECTOR.matcher(field);
        assertTrue(m.find(), message);
        return m.group(1);
    }

    static boolean verify(String message, String selector, String record) throws Exception {
        List<DkimResult> results = new DkimVerifier(name -> name.equals(selector + "._domainkey.example.com")
                ? List.of(record) : List.of(), Clock.systemUTC())
                .verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
        return results.size() == 1 && results.get(0).passed();
    }

    /** Queues a message to the remote MX and returns it as the MX received it. */
    private String deliver(MailfleetServer server, SinkSmtpServer mx, String subject) throws Exception {
        return deliverTagged(server, mx, subject + " #" + sent.incrementAndGet());
    }

    /** Queues a message with the unique subject {@code tag} to the remote MX and returns it as the MX received it. */
    static String deliverTagged(MailfleetServer server, SinkSmtpServer mx, String tag) throws Exception {
        String msg = "From: <user@example.com>\r\nTo: <far@remote.example>\r\nSubject: " + tag
                + "\r\nDate: Mon, 07 Dec 2026 06:00:00 +0000\r\nMessage-ID: <" + tag.replaceAll("[ #]", "-")
                + "@example.com>\r\n\r\nbody of " + tag + "\r\n";
        BlobRef ref;
        try (BlobWriter w = server.blobs().create()) {
            byte[] b = msg.getBytes(StandardCharsets.UTF_8);
            w.write(b, 0, b.length);
            ref = w.commit().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        Envelope env = new Envelope("user@example.com", List.of(EnvelopeRecipient.of("far@remote.example")), "client",
                "192.0.2.1", "user@example.com", true, null, null, "7BIT", false, Instant.now());
        String id = server.node().queue().enqueue(env, ref).toCompletableFuture().get(10, TimeUnit.SECONDS);
        OutboundDeliveryTest.waitFor(() -> mx.received.stream().anyMatch(r -> r.text().contains("Subject: " + tag + "\r\n")));
        OutboundDeliveryTest.waitFor(() -> entry(server, id) == null);
        return mx.received.stream().filter(r -> r.text().contains("Subject: " + tag + "\r\n")).findFirst().orElseThrow().text();
    }

    private static QueueEntry entry(MailfleetServer server, String id) {
        try {
            return server.node().queue().show(id).toCompletableFuture().get(10, TimeUnit.SECONDS).orElse(null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
