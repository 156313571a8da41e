package io.mailfleet.core.spam.uribl;

import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.core.dns.LoopbackDnsServer;
import io.mailfleet.core.dns.ResolverSettings;
import io.mailfleet.core.spam.SpamSymbol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** URL block lists asked through the project's resolver of a real DNS server on loopback. */
class UriblEvaluatorTest {

    private LoopbackDnsServer server;
    private AsyncDnsResolver dns;

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackDnsServer();
        // the resolver would wait 30 s; the lists' own time-out is what ends a silent question
        dns = new AsyncDnsResolver(ResolverSettings.of(server.address(), Duration.ofSeconds(30)));
        a("listed.com.dbl.test", "127.0.1.2");
        a("phish.net.dbl.test", "127.0.1.4");
        a("refused.org.dbl.test", "127.255.255.254");
        a("odd.info.dbl.test", "10.0.0.1");
        a("listed.com.multi.test", "127.0.0.10"); // bits 2 and 8
        a("refused.org.multi.test", "127.0.0.1"); // URIBL's "query refused" bit
        a("7.2.0.192.multi.test", "127.0.0.2");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void a(String name, String ip) throws Exception {
        server.add(new ARecord(Name.fromString(name + "."), DClass.IN, 300, InetAddress.getByName(ip)));
    }

    private List<String> shown(UriblEvaluator e, LinkTarget... targets) throws Exception {
        return e.evaluate(List.of(targets)).toCompletableFuture().get(20, TimeUnit.SECONDS).stream()
                .map(SpamSymbol::shown).toList();
    }

    private UriblEvaluator evaluator(Duration timeout) {
        return new UriblEvaluator(dns, UriblLists.parse("dbl.test=127.0.1.[2..99]:DBL_SPAM*2.5 dbl.test=127.0.1.4:DBL_PHISH*3"
                + " multi.test&2:BLACK*1.7 multi.test&4:GREY*0.4 multi.test&8:RED*0.1", "multi.test"), timeout);
    }

    private static LinkTarget d(String name) {
        return new LinkTarget(name, false);
    }

    @Test
    void listedDomainsAddEachSymbolOnceWithItsWeight() throws Exception {
        UriblEvaluator e = evaluator(Duration.ofSeconds(5));
        assertEquals(List.of("DBL_SPAM=2.5", "DBL_PHISH=3", "BLACK=1.7", "RED=0.1"),
                shown(e, d("listed.com"), d("phish.net"), d("clean.com")));
        SpamSymbol spam = e.evaluate(List.of(d("listed.com"), d("phish.net"))).toCompletableFuture()
                .get(20, TimeUnit.SECONDS).get(0);
        assertEquals("dbl.test lists listed.com, phish.net", spam.description());
    }

    @Test
    void refusedOutOfRangeAndUnlistedAnswersAddNothing() throws Exception {
        assertEquals(List.of(), shown(evaluator(Duration.ofSeconds(5)), d("refused.org"), d("odd.info"), d("clean.com")));
    }

    @Test
    void ipLiteralsAreAskedOnlyOfTheIpZones() throws Exception {
        int before = server.queries.get();
        assertEquals(List.of("BLACK=1.7"), shown(evaluator(Duration.ofSeconds(5)), new LinkTarget("192.0.2.7", true)));
        assertEquals(before + 1, server.queries.get(), "dbl.test is not asked about an address");
    }

    @Test
    void answersAreCachedByTheResolver() throws Exception {
        UriblEvaluator e = evaluator(Duration.ofSeconds(5));
        shown(e, d("listed.com"), d("clean.com"));
        int asked = server.queries.get();
        assertEquals(List.of("DBL_SPAM=2.5", "BLACK=1.7", "RED=0.1"), shown(e, d("listed.com"), d("clean.com")));
        assertEquals(asked, server.queries.get());
    }

    @Test
    void aSilentListCountsAsNotListedAfterTheTimeOutWhileTheOthersStillCount() throws Exception {
        server.silent("listed.com.dbl.test");
        assertEquals(List.of("BLACK=1.7", "RED=0.1"), shown(evaluator(Duration.ofMillis(300)), d("listed.com")));
    }
}
