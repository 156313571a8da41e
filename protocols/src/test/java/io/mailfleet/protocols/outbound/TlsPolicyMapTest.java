package io.mailfleet.protocols.outbound;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsPolicyMapTest {

    private static final TlsPolicyMap MAP = TlsPolicyMap.parse("postfix-tls-policy.cf", List.of(
            "# destinations",
            "example.com   encrypt",
            ".example.net  verify match=hostname:.example.net",
            "",
            "[relay.example]:587 secure match=relay.example",
            "[plain.example] none",
            "strict.example dane-only"));

    @Test
    void looksUpDomainsSubdomainsAndRelayNexthops() {
        assertEquals(Optional.of(TlsRequirement.of(TlsPolicy.ENCRYPT)), MAP.lookup(NextHop.domain("Example.com")));
        assertEquals(Optional.empty(), MAP.lookup(NextHop.domain("sub.example.com")));
        assertEquals(Optional.of(new TlsRequirement(TlsPolicy.VERIFY, List.of("hostname", ".example.net"))),
                MAP.lookup(NextHop.domain("a.b.example.net")));
        assertEquals(Optional.empty(), MAP.lookup(NextHop.domain("example.net")));
        assertEquals(Optional.of(new TlsRequirement(TlsPolicy.SECURE, List.of("relay.example"))),
                MAP.lookup(NextHop.parse("[relay.example]:587")));
        assertEquals(Optional.empty(), MAP.lookup(NextHop.parse("[relay.example]:25")));
        assertEquals(Optional.of(TlsRequirement.of(TlsPolicy.NONE)), MAP.lookup(NextHop.parse("[plain.example]:25")));
        assertEquals(TlsPolicy.DANE_ONLY, MAP.lookup(NextHop.domain("strict.example")).orElseThrow().level());
    }

    @Test
    void badLinesNameFileAndLine() {
        for (String bad : List.of("example.com", "example.com maybe", "example.com encrypt match=x",
                "example.com verify match=", "example.com verify ciphers=high", "[broken:25 may")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TlsPolicyMap.parse("postfix-tls-policy.cf", List.of("# ok", bad)), bad);
            assertTrue(e.getMessage().startsWith("postfix-tls-policy.cf line 2: "), e.getMessage());
        }
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> TlsPolicyMap.parse("f", List.of("a.test may", "A.test encrypt")));
        assertTrue(twice.getMessage().contains("line 2") && twice.getMessage().contains("twice"), twice.getMessage());
    }

    @Test
    void levelsParseInPostfixSpelling() {
        for (TlsPolicy p : TlsPolicy.values()) {
            assertEquals(p, TlsPolicy.parse(p.configName().toUpperCase()));
        }
        assertThrows(IllegalArgumentException.class, () -> TlsPolicy.parse("optional"));
    }

    @Test
    void selectorUsesThePolicyFileThenTheGlobalLevelRaisedToEncryptByCredentials() {
        RelaySelector direct = new RelaySelector(null, null, 25, null, Map.of(), Map.of(), Set.of(),
                TlsPolicy.VERIFY, MAP);
        assertEquals(TlsPolicy.VERIFY, direct.route("a@src.test", "other.test").tlsPolicy());
        assertEquals(TlsPolicy.ENCRYPT, direct.route("a@src.test", "example.com").tlsPolicy());

        SaslCredentials c = new SaslCredentials("u", "p");
        RelaySelector relayed = new RelaySelector("[relay.example]:587", null, 25, c, Map.of(), Map.of(), Set.of(),
                TlsPolicy.MAY, MAP);
        Route r = relayed.route("a@src.test", "dest.test");
        assertEquals(new Route(NextHop.parse("[relay.example]:587"), true, c, TlsPolicy.SECURE,
                List.of("relay.example")), r);
        RelaySelector otherRelay = new RelaySelector("[smtp.other]:587", null, 25, c, Map.of(), Map.of(), Set.of(),
                TlsPolicy.MAY, MAP);
        assertEquals(TlsPolicy.ENCRYPT, otherRelay.route("a@src.test", "dest.test").tlsPolicy());
        RelaySelector none = new RelaySelector(null, null, 25, null, Map.of(), Map.of(), Set.of(),
                TlsPolicy.NONE, TlsPolicyMap.empty());
        assertEquals(TlsPolicy.NONE, none.route("a@src.test", "x.test").tlsPolicy());
    }
}
