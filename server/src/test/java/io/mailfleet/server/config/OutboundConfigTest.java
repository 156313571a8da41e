package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outbound, relay, DKIM and SRS settings are read and checked with every other setting at load. */
class OutboundConfigTest {

    @TempDir
    Path tmp;

    private Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("OVERRIDE_HOSTNAME", "mail.example.com");
        m.put("MAILFLEET_DATA", tmp.toString());
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsAndEnvironment() {
        OutboundConfig o = MailfleetConfig.load(null, env()).settings().outbound();
        assertEquals(Duration.ofSeconds(300), o.retry().first());
        assertEquals(25, o.mxPort());
        assertEquals(tmp.resolve("dkim"), o.dkimDir());
        assertEquals("example.com", o.srsDomain());
        o = MailfleetConfig.load(null, env("RELAY_HOST", "[relay.example.net]:587", "RELAY_PORT", "2525",
                "SRS_EXCLUDE_DOMAINS", "a.example, .b.example", "SRS_DOMAINNAME", "Srs.Example.org",
                "MAILFLEET_DKIM_DIR", tmp.resolve("keys").toString())).settings().outbound();
        assertEquals("[relay.example.net]:587", o.relayHost());
        assertEquals(2525, o.relayPort());
        assertEquals(List.of("a.example", ".b.example"), o.srsExcludeDomains());
        assertEquals("srs.example.org", o.srsDomain());
        assertEquals(tmp.resolve("keys"), o.dkimDir());
    }

    @Test
    void badValuesStopStartUpNamingKeyValueAndWhatIsAllowed() {
        String m = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null,
                env("MAILFLEET_RETRY_MAX", "60s"))).getMessage();
        assertTrue(m.contains("mailfleet.outbound.retry-max") && m.contains("MAILFLEET_RETRY_MAX")
                && m.contains("\"60s\"") && m.contains("retry-first (300s)"), m);
        m = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, env("RELAY_PORT", "0"))).getMessage();
        assertTrue(m.contains("mailfleet.relay.port") && m.contains("1..65535"), m);
        m = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, env("SRS_DOMAINNAME", "bad_domain!")))
                .getMessage();
        assertTrue(m.contains("mailfleet.srs.domain") && m.contains("bad_domain!"), m);
        m = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, env("MAILFLEET_DELAY_WARNING", "-5s")))
                .getMessage();
        assertTrue(m.contains("mailfleet.outbound.delay-warning") && m.contains("0 for off"), m);
    }
}
