package io.mailfleet.server.config;

import io.mailfleet.core.spam.uribl.UriblLists;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The URL block-list keys of the built-in scorer, from the environment and the configuration file. */
class UrlDnsblSettingsTest {

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("OVERRIDE_HOSTNAME", "mail.example.com");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static UrlDnsblSettings load(String... kv) {
        return UrlDnsblSettings.of(MailfleetConfig.load(null, env(kv)));
    }

    private static String error(String... kv) {
        return assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, env(kv))).getMessage();
    }

    @Test
    void onWithRspamdsListsByDefault() {
        UrlDnsblSettings s = load();
        assertTrue(s.enabled());
        assertEquals(UriblLists.parse(UriblLists.DEFAULT, UriblLists.DEFAULT_IP_ZONES), s.lists());
        assertEquals(20, s.limits().maxTargets());
        assertEquals(256 * 1024, s.limits().maxScanBytes());
        assertTrue(s.limits().emails());
        assertEquals(Duration.ofSeconds(3), s.timeout());
        assertTrue(s.skipDomains().contains("w3.org"), s.skipDomains().toString());
    }

    @Test
    void variablesAndFileKeys(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        UrlDnsblSettings s = load("MAILFLEET_URL_DNSBL", "0", "MAILFLEET_URL_DNSBL_LISTS",
                "uribl.example.net&2:MY_BLACK*4, dbl.example.net=127.0.1.[2..99]:MY_DBL", "MAILFLEET_URL_DNSBL_TIMEOUT", "500ms");
        assertFalse(s.enabled());
        assertEquals("uribl.example.net&2:MY_BLACK*4 dbl.example.net=127.0.1.[2..99]:MY_DBL*1", s.lists().toString());
        assertEquals(Duration.ofMillis(500), s.timeout());
        Path conf = Files.writeString(dir.resolve("m.conf"), "mailfleet.spam-scorer.url-dnsbl {\n"
                + "  lists = [\"a.example.net:A*2\", \"b.example.net&4:B\"]\n  ip-zones = [\"a.example.net\"]\n"
                + "  max-lookups = 5\n  max-scan-bytes = 64K\n  emails = false\n  skip-domains = []\n}\n");
        UrlDnsblSettings f = load("MAILFLEET_CONFIG", conf.toString());
        assertEquals("a.example.net:A*2 b.example.net&4:B*1", f.lists().toString());
        assertEquals(Set.of("a.example.net"), f.lists().ipZones());
        assertEquals(5, f.limits().maxTargets());
        assertEquals(64 * 1024, f.limits().maxScanBytes());
        assertFalse(f.limits().emails());
        assertEquals(Set.of(), f.skipDomains());
    }

    @Test
    void garbageStopsStartUpNamingTheKey(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("m.conf"),
                "mailfleet.spam-scorer.url-dnsbl.skip-domains = [w3.org, \"not a domain\"]\n");
        String skip = error("MAILFLEET_CONFIG", conf.toString());
        assertTrue(skip.contains("mailfleet.spam-scorer.url-dnsbl.skip-domains") && skip.contains("not a domain"), skip);
        String m = error("MAILFLEET_URL_DNSBL_LISTS", "dbl.example.net=127.0.1.[2..x]:DBL");
        assertTrue(m.contains("mailfleet.spam-scorer.url-dnsbl.lists (from environment variable MAILFLEET_URL_DNSBL_LISTS)"), m);
        assertTrue(m.contains("not a number"), m);
        assertTrue(error("MAILFLEET_URL_DNSBL_LISTS", "dbl.example.net").contains("no :SYMBOL"));
        assertTrue(error("MAILFLEET_URL_DNSBL", "maybe").contains("mailfleet.spam-scorer.url-dnsbl.enabled"));
        assertTrue(error("MAILFLEET_URL_DNSBL_TIMEOUT", "2").contains("mailfleet.spam-scorer.url-dnsbl.timeout"));
        assertTrue(error("MAILFLEET_URL_DNSBL_TIMEOUT", "5m").contains("mailfleet.spam-scorer.url-dnsbl.timeout"));
    }
}
