package io.mailfleet.server.config;

import io.mailfleet.core.dnsbl.DnsblSites;
import io.mailfleet.protocols.smtp.postscreen.PostscreenAction;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DNSBL keys as docker-mailserver's environment and Mailfleet's own variables set them. */
class DnsblConfigTest {

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("OVERRIDE_HOSTNAME", "mail.example.com");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static DnsblConfig load(String... kv) {
        return DnsblConfig.of(MailfleetConfig.load(null, env(kv)));
    }

    private static String error(String... kv) {
        return assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, env(kv))).getMessage();
    }

    @Test
    void offByDefaultWithDockerMailserversListThresholdAndAction() {
        DnsblConfig d = load();
        assertFalse(d.enabled());
        assertEquals(DnsblSites.parse(DnsblSites.DOCKER_MAILSERVER), d.settings().sites());
        assertEquals(3, d.settings().threshold());
        assertEquals(PostscreenAction.ENFORCE, d.settings().action());
        assertEquals(Duration.ofHours(1), d.settings().passTtl());
    }

    @Test
    void enableDnsblPostscreenActionAndOwnList() {
        DnsblConfig c = load("ENABLE_DNSBL", "1", "POSTSCREEN_ACTION", "drop",
                "MAILFLEET_DNSBL_SITES", "bl.example*2, allow.example=127.0.[0..255].1*-2", "MAILFLEET_DNSBL_PASS_TTL", "0s");
        assertTrue(c.enabled());
        assertEquals(PostscreenAction.DROP, c.settings().action());
        assertEquals("bl.example*2 allow.example=127.0.[0..255].1*-2", c.settings().sites().toString());
        assertEquals(1, c.settings().threshold(), "postscreen's default threshold with a list of one's own");
        assertEquals(Duration.ZERO, c.settings().passTtl());
        assertEquals(-2, load("MAILFLEET_DNSBL_THRESHOLD", "-2").settings().threshold());
    }

    @Test
    void badValuesNameTheKey() {
        String m = error("MAILFLEET_DNSBL_SITES", "zen.spamhaus.org=127.0.0.[2..x]*3");
        assertTrue(m.contains("mailfleet.postscreen.dnsbl.sites") && m.contains("127.0.0.[2..x]"), m);
        m = error("MAILFLEET_DNSBL_THRESHOLD", "three");
        assertTrue(m.contains("mailfleet.postscreen.dnsbl.threshold"), m);
        m = error("ENABLE_DNSBL", "maybe");
        assertTrue(m.contains("mailfleet.postscreen.dnsbl.enabled"), m);
        m = error("MAILFLEET_DNSBL_PASS_TTL", "90d");
        assertTrue(m.contains("mailfleet.postscreen.dnsbl.pass-ttl"), m);
    }
}
