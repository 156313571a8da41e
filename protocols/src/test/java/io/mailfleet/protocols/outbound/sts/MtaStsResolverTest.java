package io.mailfleet.protocols.outbound.sts;

import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.core.mtasts.CachedPolicy;
import io.mailfleet.core.mtasts.MtaStsMode;
import io.mailfleet.core.mtasts.MtaStsPolicy;
import io.mailfleet.core.mtasts.PolicyCache;
import io.mailfleet.core.tlsrpt.TlsResultType;
import io.mailfleet.protocols.outbound.MtaStsPolicyServer;
import io.mailfleet.protocols.outbound.MtaStsPolicyServer.Answer;
import io.mailfleet.protocols.outbound.OutboundTrust;
import io.mailfleet.protocols.outbound.TestCa;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.outbound.https.HttpsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Policy discovery against a real DNS server and real HTTPS policy hosts (a test CA the fetcher
 * trusts, and a self-signed host it must not trust): fetch, cache by id, and every kind of failure
 * with the RFC 8461 §5.1 fallback to a cached policy.
 */
class MtaStsResolverTest {

    private static final String ENFORCE = "version: STSv1\r\nmode: enforce\r\nmx: mx.good.example\r\nmx: *.pool.good.example\r\nmax_age: 86400\r\n";

    @TempDir
    static Path dir;

    static TestDnsServer dns;
    static MtaStsPolicyServer https;
    static MtaStsPolicyServer selfSigned;
    static PolicyFetcher fetcher;
    static HttpsClient client;
    static AsyncDnsResolver resolver;

    /** The cluster cache's contract in a map (the cluster one is exercised end to end in the server tests). */
    static final class MapCache implements PolicyCache {
        final Map<String, CachedPolicy> map = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<Optional<CachedPolicy>> get(String domain) {
            return CompletableFuture.completedFuture(Optional.ofNullable(map.get(domain)));
        }

        @Override
        public void put(CachedPolicy policy) {
            map.put(policy.domain(), policy);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        TestCa ca = new TestCa("MTA-STS Test CA");
        List<String> domains = List.of("good.example", "missing.example", "malformed.example", "redirect.example",
                "big.example", "html.example", "slow.example", "cached.example", "changed.example");
        String[] names = domains.stream().map(d -> "mta-sts." + d).toArray(String[]::new);
        https = new MtaStsPolicyServer(InetAddress.getByName("127.0.0.40"), 0, ca.server(names));
        selfSigned = new MtaStsPolicyServer(InetAddress.getByName("127.0.0.41"), https.port(),
                TestCa.selfSigned("mta-sts.selfsigned.example"));
        dns = new TestDnsServer();
        for (String d : domains) {
            dns.txt("_mta-sts." + d, "v=STSv1; id=20261207;").a("mta-sts." + d, "127.0.0.40");
        }
        dns.txt("_mta-sts.selfsigned.example", "v=STSv1; id=1;").a("mta-sts.selfsigned.example", "127.0.0.41");
        dns.txt("_mta-sts.unreachable.example", "v=STSv1; id=1;");
        https.answer("good.example", Answer.policy(ENFORCE))
                .answer("malformed.example", Answer.policy("version: STSv1\nmode: sometimes\nmax_age: 10\n"))
                .answer("redirect.example", Answer.redirect("https://mta-sts.good.example/.well-known/mta-sts.txt"))
                .answer("big.example", Answer.policy(ENFORCE + "x".repeat(70_000) + ": y\n"))
                .answer("html.example", new Answer(200, "text/html", ENFORCE.getBytes(), null, false))
                .answer("slow.example", Answer.slow())
                .answer("changed.example", Answer.policy(ENFORCE.replace("enforce", "testing")));
        selfSigned.answer("selfsigned.example", Answer.policy(ENFORCE));
        resolver = new AsyncDnsResolver(dns.settings(Duration.ofSeconds(2)).resolverSettings());
        client = new HttpsClient(resolver, OutboundTrust.caFile(ca.writePem(dir.resolve("ca.pem"))).factory());
        fetcher = new PolicyFetcher(client, https.port(), Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        https.close();
        selfSigned.close();
        dns.close();
    }

    private static StsLookup lookup(MtaStsResolver r, String domain) throws Exception {
        return r.lookup(domain).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static MtaStsResolver resolver(PolicyCache cache) {
        return new MtaStsResolver(resolver, cache, fetcher, 604800, Clock.systemUTC());
    }

    @Test
    void fetchesParsesAndCachesByPolicyId() throws Exception {
        MapCache cache = new MapCache();
        MtaStsResolver r = resolver(cache);
        StsLookup first = lookup(r, "good.example");
        assertEquals(MtaStsMode.ENFORCE, first.mode());
        assertTrue(first.failure().isEmpty());
        MtaStsPolicy p = first.policy().orElseThrow().policy();
        assertEquals(List.of("mx.good.example", "*.pool.good.example"), p.mx());
        assertTrue(p.allowsMx("mx.good.example"));
        assertTrue(p.allowsMx("a.pool.good.example"));
        assertTrue(!p.allowsMx("a.b.pool.good.example") && !p.allowsMx("pool.good.example") && !p.allowsMx("mx.evil.example"));
        assertEquals("20261207", cache.map.get("good.example").id());
        long requests = https.requestsFor("good.example");
        StsLookup second = lookup(r, "good.example");
        assertEquals(first.policy(), second.policy());
        assertEquals(requests, https.requestsFor("good.example"), "same id: served from the cache, not fetched again");
    }

    @Test
    void aNewIdFetchesAgain() throws Exception {
        MapCache cache = new MapCache();
        MtaStsPolicy old = new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("mx.changed.example"), 86400);
        cache.put(new CachedPolicy("changed.example", "old1", old, System.currentTimeMillis()));
        StsLookup l = lookup(resolver(cache), "changed.example");
        assertEquals(MtaStsMode.TESTING, l.mode());
        assertEquals("20261207", cache.map.get("changed.example").id());
    }

    @Test
    void withoutTxtRecordThereIsNoPolicyAndNoFetch() throws Exception {
        StsLookup l = lookup(resolver(new MapCache()), "nothing.example");
        assertTrue(l.policy().isEmpty());
        assertTrue(l.failure().isEmpty());
        assertEquals(0, https.requestsFor("nothing.example"));
    }

    @Test
    void failuresGiveNoPolicyAndTheirResultType() throws Exception {
        Map<String, TlsResultType> expected = Map.of(
                "missing.example", TlsResultType.STS_POLICY_FETCH_ERROR,
                "malformed.example", TlsResultType.STS_POLICY_INVALID,
                "redirect.example", TlsResultType.STS_POLICY_FETCH_ERROR,
                "big.example", TlsResultType.STS_POLICY_INVALID,
                "html.example", TlsResultType.STS_POLICY_INVALID,
                "slow.example", TlsResultType.STS_POLICY_FETCH_ERROR,
                "selfsigned.example", TlsResultType.STS_WEBPKI_INVALID,
                "unreachable.example", TlsResultType.STS_POLICY_FETCH_ERROR);
        MtaStsResolver r = resolver(new MapCache());
        for (Map.Entry<String, TlsResultType> e : expected.entrySet()) {
            StsLookup l = lookup(r, e.getKey());
            assertTrue(l.policy().isEmpty(), e.getKey() + " has no policy");
            assertEquals(e.getValue(), l.failure().orElseThrow().type(), e.getKey() + ": " + l.failure().get().getMessage());
        }
        assertTrue(lookup(r, "redirect.example").failure().get().getMessage().contains("redirects are not followed"));
    }

    @Test
    void aFetchFailureKeepsTheCachedPolicy() throws Exception {
        MapCache cache = new MapCache();
        MtaStsPolicy cached = new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("mx.cached.example"), 86400);
        cache.put(new CachedPolicy("cached.example", "older", cached, System.currentTimeMillis()));
        StsLookup l = lookup(resolver(cache), "cached.example");
        assertEquals(cached, l.policy().orElseThrow().policy(), "RFC 8461 §5.1: the cached policy stays in force");
        assertEquals(TlsResultType.STS_POLICY_FETCH_ERROR, l.failure().orElseThrow().type());

        // An expired cached policy is not used.
        MapCache expired = new MapCache();
        expired.put(new CachedPolicy("cached.example", "older", cached, System.currentTimeMillis() - 90_000_000L));
        assertTrue(lookup(resolver(expired), "cached.example").policy().isEmpty());
    }
}
