package io.mailfleet.protocols.outbound;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelaySelectorTest {

    @Test
    void directDeliveryWithoutRelays() {
        Route r = RelaySelector.direct().route("a@src.test", "Dest.Test");
        assertEquals(new Route(new NextHop("dest.test", 25, true), false, null, TlsPolicy.MAY), r);
        assertEquals("dest.test", r.destination());
    }

    @Test
    void defaultRelayHostWithEnvCredentialsRequiresTls() {
        SaslCredentials c = new SaslCredentials("u", "p");
        RelaySelector s = new RelaySelector("[smtp.relay.test]:587", null, 25, c, Map.of(), Map.of(), Set.of());
        Route r = s.route("a@src.test", "dest.test");
        assertEquals(new Route(new NextHop("smtp.relay.test", 587, false), true, c, TlsPolicy.ENCRYPT), r);
        assertEquals("[smtp.relay.test]:587", r.destination());
        assertEquals(new Route(new NextHop("smtp.relay.test", 587, false), true, c, TlsPolicy.ENCRYPT),
                s.route("", "dest.test"));
    }

    @Test
    void relayHostForLocalDomainsWithOptOutAndPerDomainRelay() {
        var map = Map.of("optout.test", Optional.<NextHop>empty(),
                "mailgun.test", Optional.of(NextHop.parse("[smtp.mailgun.org]:587")));
        var sasl = Map.of("@mailgun.test", new SaslCredentials("mg", "x"));
        RelaySelector s = new RelaySelector(null, "relay.test", 2525, null, map, sasl,
                Set.of("src.test", "optout.test", "mailgun.test"));
        assertEquals(new Route(new NextHop("relay.test", 2525, false), true, null, TlsPolicy.ENCRYPT),
                s.route("a@src.test", "dest.test"));
        assertFalse(s.route("a@optout.test", "dest.test").relayed());
        Route mg = s.route("a@mailgun.test", "dest.test");
        assertEquals(NextHop.parse("[smtp.mailgun.org]:587"), mg.nextHop());
        assertEquals("mg", mg.credentials().username());
        assertFalse(s.route("a@foreign.test", "dest.test").relayed());
    }

    @Test
    void credentialsByNexthopAndNoCredentialsMeansMay() {
        var sasl = Map.of("[smtp.relay.test]:587", new SaslCredentials("hostuser", "x"));
        RelaySelector s = new RelaySelector("[smtp.relay.test]:587", null, 25, null, Map.of(), sasl, Set.of());
        assertEquals("hostuser", s.route("a@src.test", "d.test").credentials().username());
        RelaySelector plain = new RelaySelector("relay.test:2525", null, 25, null, Map.of(), Map.of(), Set.of());
        Route r = plain.route("a@src.test", "d.test");
        assertTrue(r.nextHop().mxLookup());
        assertNull(r.credentials());
        assertEquals(TlsPolicy.MAY, r.tlsPolicy());
    }

    @Test
    void configLinesAndErrors() {
        assertEquals(Map.entry("d1.test", Optional.of(NextHop.parse("[smtp.x]:587"))),
                RelaySelector.parseRelayMapLine("@D1.test  [smtp.x]:587"));
        assertEquals(Map.entry("d3.test", Optional.empty()), RelaySelector.parseRelayMapLine("@d3.test"));
        assertNull(RelaySelector.parseRelayMapLine("# comment"));
        assertThrows(IllegalArgumentException.class, () -> RelaySelector.parseRelayMapLine("d1.test [x]:1"));
        var e = RelaySelector.parseSaslPasswordLine("@d1.test user@d1.test:se:cret");
        assertEquals("@d1.test", e.getKey());
        assertEquals("user@d1.test", e.getValue().username());
        assertEquals("se:cret", e.getValue().password());
        assertFalse(e.getValue().toString().contains("se:cret"));
        assertThrows(IllegalArgumentException.class, () -> RelaySelector.parseSaslPasswordLine("@d1.test nopassword"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new RelaySelector("[broken:25", null, 25, null, Map.of(), Map.of(), Set.of()));
        assertTrue(bad.getMessage().startsWith("DEFAULT_RELAY_HOST"), bad.getMessage());
    }
}
