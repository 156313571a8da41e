package io.mailfleet.server.cluster.credentials;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLHandshakeException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefusalLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(RefusalLog.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void attach() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
    }

    @Test
    void theFirstRefusalIsLoggedAtOnceAndTheRestOfTheIntervalOnlyCounted() {
        RefusalLog log = new RefusalLog(Duration.ofHours(1), "CN=Test CA");
        for (int i = 0; i < 50; i++) {
            log.refused(new SSLHandshakeException("Received fatal alert: certificate_unknown"));
        }
        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("refused an inbound cluster connection: TLS handshake failed: "
                + "Received fatal alert: certificate_unknown; only nodes holding a certificate from this cluster's CA "
                + "(CN=Test CA) may connect"), lines.get(0));
    }

    @Test
    void afterTheIntervalTheNextLineCountsTheSuppressedOnes() throws Exception {
        RefusalLog log = new RefusalLog(Duration.ofMillis(200), "CN=Test CA");
        for (int i = 0; i < 4; i++) {
            log.refused(new SSLHandshakeException("x"));
        }
        Thread.sleep(300);
        log.refused(new SSLHandshakeException("Unrecognized SSL message, plaintext connection?"));
        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains("plaintext connection?") && lines.get(1).endsWith(
                "(and 3 more refused since the last report)"), lines.get(1));
    }
}
