package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster module's keys (sessions, queue partitions) are read and checked with the other settings. */
class SessionAndQueueSettingsTest {

    private static final Map<String, String> ENV = Map.of("OVERRIDE_HOSTNAME", "mail.example.com");

    @TempDir
    Path tmp;

    @Test
    void defaultsAndFileValues() throws Exception {
        Settings s = MailfleetConfig.load(null, ENV).settings();
        assertEquals(new SessionSettings(Duration.ofSeconds(10), Duration.ofSeconds(5)), s.sessions());
        assertEquals(64, s.queuePartitions());
        Path f = Files.writeString(tmp.resolve("m.conf"),
                "mailfleet.sessions.ask-timeout = 2s\nmailfleet.queue.partitions = 16\n");
        s = MailfleetConfig.load(f, ENV).settings();
        assertEquals(Duration.ofSeconds(2), s.sessions().askTimeout());
        assertEquals(16, s.queuePartitions());
    }

    @Test
    void badValuesStopStartUpNamingTheKey() throws Exception {
        Path f = Files.writeString(tmp.resolve("p.conf"), "mailfleet.queue.partitions = 0\n");
        String m = assertThrows(ConfigError.class, () -> MailfleetConfig.load(f, ENV)).getMessage();
        assertTrue(m.contains("mailfleet.queue.partitions") && m.contains("\"0\"") && m.contains("1..100000"), m);
        Path g = Files.writeString(tmp.resolve("s.conf"), "mailfleet.sessions.refresh-interval = soon\n");
        m = assertThrows(ConfigError.class, () -> MailfleetConfig.load(g, ENV)).getMessage();
        assertTrue(m.contains("mailfleet.sessions.refresh-interval") && m.contains("soon"), m);
    }
}
