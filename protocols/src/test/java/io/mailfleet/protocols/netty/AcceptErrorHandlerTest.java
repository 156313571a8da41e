package io.mailfleet.protocols.netty;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 12 finding 4: a flood of accept errors costs one log line per interval, and accepting pauses. */
class AcceptErrorHandlerTest {

    @Test
    void aFloodOfAcceptErrorsIsLoggedOncePerIntervalWithItsCountAndPausesAccepting() {
        AtomicLong now = new AtomicLong();
        List<String> lines = new ArrayList<>();
        AcceptErrorHandler handler = new AcceptErrorHandler("IMAP 0.0.0.0:143",
                new EventThrottle(Duration.ofSeconds(60), now::get), lines::add);
        EmbeddedChannel server = new EmbeddedChannel(handler);
        IOException emfile = new IOException("Too many open files");
        for (int i = 0; i < 5000; i++) {
            server.pipeline().fireExceptionCaught(emfile);
        }
        server.checkException(); // nothing reached the end of the pipeline
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("IMAP 0.0.0.0:143: accepting connections failed 1 time(s)"), lines.get(0));
        assertTrue(lines.get(0).contains("Too many open files"), lines.get(0));

        assertFalse(server.config().isAutoRead(), "accepting pauses after the error");
        server.advanceTimeBy(AcceptErrorHandler.PAUSE.toMillis(), TimeUnit.MILLISECONDS);
        server.runScheduledPendingTasks();
        assertTrue(server.config().isAutoRead(), "and resumes after the pause");

        now.addAndGet(Duration.ofSeconds(61).toNanos());
        server.pipeline().fireExceptionCaught(emfile);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains("failed 5000 time(s)"), lines.get(1));
        server.finishAndReleaseAll();
    }
}
