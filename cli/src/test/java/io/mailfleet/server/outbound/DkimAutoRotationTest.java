package io.mailfleet.server.outbound;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailfleet.protocols.outbound.SinkSmtpServer;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.cli.CliRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mailfleet.server.outbound.DkimRotationCommandsTest.deliverTagged;
import static io.mailfleet.server.outbound.DkimRotationCommandsTest.record;
import static io.mailfleet.server.outbound.DkimRotationCommandsTest.selectorOf;
import static io.mailfleet.server.outbound.DkimRotationCommandsTest.verify;
import static io.mailfleet.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The automatic path of a DKIM rotation on a running node ({@code mailfleet.dkim.rotation}, short
 * delays): {@code config dkim rotate} without {@code --confirm}; the node does not switch while DNS
 * does not answer the new record although the delay has passed, switches by itself once the test DNS
 * server publishes it (mail signed {@code s=old} before, {@code s=new2} after, verified against the
 * printed record), logs one line for the switch, then retires the old key by itself and logs that.
 */
class DkimAutoRotationTest {

    @TempDir
    Path data;

    private final AtomicInteger sent = new AtomicInteger();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Logger rotation;

    @BeforeEach
    void captureRotationLog() {
        rotation = (Logger) LoggerFactory.getLogger("io.mailfleet.dkim-rotation");
        rotation.setLevel(Level.INFO);
        log.start();
        rotation.addAppender(log);
    }

    @AfterEach
    void release() {
        rotation.detachAppender(log);
        rotation.setLevel(null);
    }

    private List<String> lines(String containing) {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(containing)).toList();
    }

    private String deliver(MailfleetServer server, SinkSmtpServer mx, String subject) throws Exception {
        return deliverTagged(server, mx, subject + " #" + sent.incrementAndGet());
    }

    @Test
    void aPendingRotationSwitchesOnceDnsAnswersItsRecordAndTheOldKeyIsRetired() throws Exception {
        try (SinkSmtpServer mx = new SinkSmtpServer(InetAddress.getByName("127.0.0.9"), 0);
             TestDnsServer dns = new TestDnsServer().mx("remote.example", 10, "mx.remote.example")
                     .a("mx.remote.example", "127.0.0.9")) {
            Map<String, String> env = TestServers.env(data, Map.of(
                    "MAILFLEET_DNS_SERVER", "127.0.0.1:" + dns.settings(Duration.ofSeconds(2)).server().getPort(),
                    "MAILFLEET_OUTBOUND_MX_PORT", Integer.toString(mx.port()),
                    "MAILFLEET_DKIM_ROTATION_SWITCH_AFTER", "1s",
                    "MAILFLEET_DKIM_ROTATION_RETIRE_AFTER", "3s",
                    "MAILFLEET_DKIM_ROTATION_CHECK_INTERVAL", "1s",
                    "MAILFLEET_RETRY_FIRST", "1s",
                    "MAILFLEET_RETRY_MAX", "2s",
                    "MAILFLEET_SMTP_CLIENT_TIMEOUT", "5s"));
            try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret-pw", false))) {
                Path keys = data.resolve("dkim/keys/example.com");
                CliRun first = cli(env, "config", "dkim", "selector", "old", "domain", "example.com");
                assertEquals(0, first.code(), first.toString());
                dns.txt("old._domainkey.example.com", record(first.out()));
                assertEquals("old", selectorOf(deliver(server, mx, "before rotation")));

                CliRun rotate = cli(env, "config", "dkim", "rotate", "example.com", "--selector", "new2");
                assertEquals(0, rotate.code(), rotate.toString());
                assertTrue(rotate.out().contains("A running node switches by itself 1s from now or later, once DNS answers"
                        + " the record"), rotate.out());
                String newRecord = record(rotate.out());

                // the delay passes, but DNS does not answer the new record: the node says so and keeps the old key
                OutboundDeliveryTest.waitFor(() -> !lines("DKIM rotation of example.com to selector 'new2' is due").isEmpty());
                assertTrue(lines("is due").get(0).contains("but DNS does not answer its TXT record as printed (no such record);"
                        + " the old key keeps signing"), lines("is due").toString());
                assertTrue(Files.exists(keys.resolve("new2.pending")), "still pending");
                assertEquals("old", selectorOf(deliver(server, mx, "due, unpublished")));
                assertTrue(lines("switched signing").isEmpty());

                dns.txt("new2._domainkey.example.com", newRecord);
                // the log line follows the file change: wait for both, or a loaded machine sees the one first
                OutboundDeliveryTest.waitFor(() -> !Files.exists(keys.resolve("new2.pending"))
                        && !lines("switched signing").isEmpty());
                assertTrue(Files.readString(data.resolve("dkim/SigningTable")).contains("*@example.com new2._domainkey.example.com"));
                List<String> switched = lines("switched signing");
                assertEquals(1, switched.size(), switched.toString());
                assertTrue(switched.get(0).startsWith("DKIM rotation of example.com: switched signing from selector 'old' to"
                        + " 'new2'"), switched.get(0));

                // the node re-reads the directory: from some message on it signs with new2, never again with old
                String signedNew = null;
                for (int i = 0; i < 30 && signedNew == null; i++) {
                    String msg = deliver(server, mx, "after the switch " + i);
                    if (selectorOf(msg).equals("new2")) {
                        signedNew = msg;
                    } else {
                        assertEquals("old", selectorOf(msg));
                    }
                }
                if (signedNew == null) {
                    fail("the node never signed with the new selector");
                }
                assertTrue(verify(signedNew, "new2", newRecord), "the printed record verifies the new signature");

                // retire-after later the old key goes by itself, with one log line naming the record to remove
                OutboundDeliveryTest.waitFor(() -> !Files.exists(keys.resolve("old.private"))
                        && !lines("of example.com retired").isEmpty());
                List<String> retired = lines("of example.com retired");
                assertEquals(1, retired.size(), retired.toString());
                assertTrue(retired.get(0).startsWith("DKIM key 'old' of example.com retired (3s after the switch to 'new2'")
                        && retired.get(0).endsWith("remove the TXT record at old._domainkey.example.com from DNS"), retired.get(0));
                assertFalse(Files.readString(data.resolve("dkim/KeyTable")).contains("old._domainkey"));
                CliRun listed = cli(env, "config", "dns", "example.com");
                assertFalse(listed.out().contains("old._domainkey.example.com"), listed.out());
                assertTrue(listed.out().contains("new2._domainkey.example.com. IN TXT"), listed.out());
                assertEquals("new2", selectorOf(deliver(server, mx, "after retirement")));
            }
        }
    }
}
