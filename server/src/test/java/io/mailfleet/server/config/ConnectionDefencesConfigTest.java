package io.mailfleet.server.config;

import io.mailfleet.protocols.smtp.postscreen.PostscreenAction;
import io.mailfleet.protocols.smtp.postscreen.PostscreenSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The postscreen keys and the trusted networks as the environment sets them. */
class ConnectionDefencesConfigTest {

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("OVERRIDE_HOSTNAME", "mail.example.com");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Settings load(String... kv) {
        return MailfleetConfig.load(null, env(kv)).settings();
    }

    private static String error(String... kv) {
        return assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, env(kv))).getMessage();
    }

    @Test
    void postscreenDefaultsAndEnvironment() {
        PostscreenSettings d = load().postscreen();
        assertFalse(d.enabled());
        assertEquals(PostscreenAction.ENFORCE, d.action());
        assertEquals(Duration.ofSeconds(6), d.greetWait());
        assertEquals(Duration.ofDays(1), d.passTtl());

        PostscreenSettings p = load("MAILFLEET_POSTSCREEN", "true", "POSTSCREEN_ACTION", "drop",
                "MAILFLEET_POSTSCREEN_GREET_WAIT", "3s", "MAILFLEET_POSTSCREEN_PASS_TTL", "0s").postscreen();
        assertTrue(p.enabled());
        assertEquals(PostscreenAction.DROP, p.action());
        assertEquals(Duration.ofSeconds(3), p.greetWait());
        assertEquals(Duration.ZERO, p.passTtl());
        assertEquals(PostscreenAction.IGNORE, load("POSTSCREEN_ACTION", "IGNORE").postscreen().action());
    }

    @Test
    void badPostscreenValuesNameTheKey() {
        String m = error("POSTSCREEN_ACTION", "reject");
        assertTrue(m.contains("mailfleet.postscreen.action") && m.contains("reject"), m);
        m = error("MAILFLEET_POSTSCREEN_GREET_WAIT", "6");
        assertTrue(m.contains("mailfleet.postscreen.greet-wait"), m);
        m = error("MAILFLEET_POSTSCREEN_GREET_WAIT", "5m");
        assertTrue(m.contains("mailfleet.postscreen.greet-wait"), m);
    }

    @Test
    void loopbackIsTrustedWhileTrustedNetworksIsUnset() {
        assertEquals(List.of("127.0.0.0/8", "::1/128"), load().smtp().effectiveTrustedNetworks());
        assertEquals(List.of("127.0.0.0/8", "::1/128", "172.16.0.0/12"),
                load("PERMIT_DOCKER", "network").smtp().effectiveTrustedNetworks());
    }

    @Test
    void anExplicitListReplacesTheLoopbackDefault() {
        assertEquals(List.of("127.0.0.1/32"), load("TRUSTED_NETWORKS", "127.0.0.1/32").smtp().effectiveTrustedNetworks());
        assertEquals(List.of("10.0.0.0/8", "172.16.0.0/12"),
                load("TRUSTED_NETWORKS", "10.0.0.0/8", "PERMIT_DOCKER", "network").smtp().effectiveTrustedNetworks());
    }

    @Test
    void inetProtocolsChooseTheBindAddressOfEachListenerGroup() {
        ListenAddresses dflt = load().listen();
        assertEquals(dflt.smtp(), dflt.mailbox());
        assertTrue(dflt.smtp().equals("::") || dflt.smtp().equals("0.0.0.0"), dflt.smtp());
        ListenAddresses v4 = load("POSTFIX_INET_PROTOCOLS", "ipv4").listen();
        assertEquals("0.0.0.0", v4.smtp());
        assertEquals(dflt.mailbox(), v4.mailbox());
        assertEquals("0.0.0.0", load("DOVECOT_INET_PROTOCOLS", "ipv4").listen().mailbox());
        // a specific bind address is kept
        assertEquals("127.0.0.1", load("MAILFLEET_BIND_ADDRESS", "127.0.0.1").listen().smtp());
        String m = error("POSTFIX_INET_PROTOCOLS", "ipv4", "MAILFLEET_BIND_ADDRESS", "::1");
        assertTrue(m.contains("mailfleet.smtp.inet-protocols"), m);
        m = error("DOVECOT_INET_PROTOCOLS", "ipv6", "MAILFLEET_BIND_ADDRESS", "127.0.0.1");
        assertTrue(m.contains("mailfleet.inet-protocols") && m.contains("IPv4 address"), m);
        assertEquals("::1", load("POSTFIX_INET_PROTOCOLS", "ipv6", "MAILFLEET_BIND_ADDRESS", "::1").listen().smtp());
        m = error("POSTFIX_INET_PROTOCOLS", "both");
        assertTrue(m.contains("mailfleet.smtp.inet-protocols") && m.contains("both"), m);
    }

    /** The address each family binds, on a host with and without IPv6 (this machine has only one of them). */
    @Test
    void theFamiliesChooseTheseAddressesWithOrWithoutIpv6OnTheHost() {
        java.util.function.Function<String, RuntimeException> bad = IllegalArgumentException::new;
        assertEquals("::", ListenAddresses.choose(ListenAddresses.Family.ALL, "0.0.0.0", true, false, true, bad));
        assertEquals("0.0.0.0", ListenAddresses.choose(ListenAddresses.Family.ALL, "0.0.0.0", true, false, false, bad));
        assertEquals("0.0.0.0", ListenAddresses.choose(ListenAddresses.Family.IPV4, "::", true, true, true, bad));
        assertEquals("[::]", ListenAddresses.choose(ListenAddresses.Family.IPV6, "0.0.0.0", true, false, true, bad),
                "IPv6 only: the listener's bracketed form");
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ListenAddresses.choose(ListenAddresses.Family.IPV6, "0.0.0.0", true, false, false, bad));
        assertTrue(e.getMessage().contains("no IPv6"), e.getMessage());
        assertEquals("2001:db8::1", ListenAddresses.choose(ListenAddresses.Family.IPV6, "2001:db8::1", false, true,
                false, bad));
    }
}
