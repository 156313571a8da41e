package io.mailfleet.server.fetchmail;

import com.icegreen.greenmail.user.GreenMailUser;
import io.mailfleet.cluster.fetchmail.RemoteMailPoller;
import io.mailfleet.core.fetchmail.FetchmailSource;
import io.mailfleet.server.RemoteMailbox;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ImapIdleWatch} against a third-party IMAP server (GreenMail): the connection waits in IDLE, is
 * renewed (here every 200 ms instead of 25 minutes) and still reports the next delivery; closing it ends
 * its thread without a report; a refused login is reported as the watch's end.
 */
class ImapIdleWatchTest {

    private RemoteMailbox remote;
    private GreenMailUser user;
    private IdleConnections connections;

    @BeforeEach
    void start() throws Exception {
        remote = RemoteMailbox.imap();
        user = remote.user("idler@remote.test", "idler", "idle-pw");
        connections = new IdleConnections(Duration.ofMillis(200));
    }

    @AfterEach
    void stop() {
        connections.close();
        remote.close();
    }

    private FetchmailSource source(String password) {
        return new FetchmailSource("idler@127.0.0.1", "127.0.0.1", FetchmailSource.Protocol.IMAP,
                remote.imapPort(), "idler", password, "a@example.com", false, true, false, null, true, true,
                "test:1");
    }

    /** What a watch reported. */
    private static final class Reports implements RemoteMailPoller.WatchListener {
        final AtomicInteger newMail = new AtomicInteger();
        final AtomicInteger idling = new AtomicInteger();
        final List<String> ended = new CopyOnWriteArrayList<>();

        @Override
        public void newMail() {
            newMail.incrementAndGet();
        }

        @Override
        public void ended(boolean unsupported, String error) {
            ended.add(unsupported + " " + error);
        }

        @Override
        public void idling() {
            idling.incrementAndGet();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aRenewedIdleStillReportsNewMailAndClosingEndsItQuietly() throws Exception {
        Reports reports = new Reports();
        ImapIdleWatch watch = connections.watch(source("idle-pw"), reports);
        // once established, the watch reports once for what may have arrived before it
        await("the first report", () -> reports.newMail.get() == 1);
        await("three renewals of IDLE", () -> reports.idling.get() >= 4);
        assertEquals(1, reports.newMail.get(), "renewing IDLE is not new mail");

        user.deliver(message("arrives while idling"));
        await("the EXISTS of the delivery", () -> reports.newMail.get() >= 2);

        watch.close();
        watch.finished().get(60, TimeUnit.SECONDS);
        assertEquals(List.of(), reports.ended, "a watch closed by its owner reports nothing");
        int after = reports.newMail.get();
        user.deliver(message("after the close"));
        Thread.sleep(300); // nothing may come; the connection is gone
        assertEquals(after, reports.newMail.get());
    }

    @Test
    void aRefusedLoginEndsTheWatchWithTheServersAnswer() throws Exception {
        Reports reports = new Reports();
        ImapIdleWatch watch = connections.watch(source("wrong-pw"), reports);
        watch.finished().get(60, TimeUnit.SECONDS);
        await("the end report", () -> !reports.ended.isEmpty());
        assertTrue(reports.ended.get(0).startsWith("false login refused by 127.0.0.1"), reports.ended.toString());
        assertEquals(0, reports.newMail.get());
    }

    private static MimeMessage message(String subject) throws Exception {
        return RemoteMailbox.message("idler@remote.test", subject);
    }
}
