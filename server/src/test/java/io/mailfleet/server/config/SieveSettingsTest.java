package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sieve at delivery and the script quota are read once, with the rest of the settings. */
class SieveSettingsTest {

    @TempDir
    Path tmp;

    @Test
    void defaultsAndOverrides() throws Exception {
        Map<String, String> env = Map.of("OVERRIDE_HOSTNAME", "mail.example.com");
        assertEquals(new SieveSettings(true, 20, 1L << 20), MailfleetConfig.load(null, env).settings().sieve());
        Path file = Files.writeString(tmp.resolve("m.conf"),
                "mailfleet.managesieve { max-scripts = 3, max-script-bytes = 400 }\n");
        assertEquals(new SieveSettings(false, 3, 400), MailfleetConfig.load(file,
                Map.of("OVERRIDE_HOSTNAME", "mail.example.com", "MAILFLEET_SIEVE", "0")).settings().sieve());
    }

    @Test
    void aBadQuotaStopsStartUpNamingTheKey() throws Exception {
        Path file = Files.writeString(tmp.resolve("m.conf"), "mailfleet.managesieve.max-scripts = 0\n");
        String m = assertThrows(ConfigError.class, () -> MailfleetConfig.load(file,
                Map.of("OVERRIDE_HOSTNAME", "mail.example.com"))).getMessage();
        assertTrue(m.contains("mailfleet.managesieve.max-scripts") && m.contains("\"0\"") && m.contains("1..100000"), m);
        Path bytes = Files.writeString(tmp.resolve("b.conf"), "mailfleet.managesieve.max-script-bytes = 0\n");
        m = assertThrows(ConfigError.class, () -> MailfleetConfig.load(bytes,
                Map.of("OVERRIDE_HOSTNAME", "mail.example.com"))).getMessage();
        assertTrue(m.contains("mailfleet.managesieve.max-script-bytes") && m.contains("at least 1 byte"), m);
    }
}
