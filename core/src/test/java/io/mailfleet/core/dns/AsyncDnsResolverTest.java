package io.mailfleet.core.dns;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node resolver against a real DNS server on loopback: answers, caching, and hostile answers. */
class AsyncDnsResolverTest {

    private LoopbackDnsServer server;
    private AsyncDnsResolver dns;

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackDnsServer();
        dns = new AsyncDnsResolver(ResolverSettings.of(server.address(), Duration.ofSeconds(2)));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static Name n(String s) {
        return Name.fromConstantString(s + ".");
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void typedAnswersWithTheirTtl() throws Exception {
        server.add(new TXTRecord(n("t.example"), DClass.IN, 120, List.of("v=spf1 ", "-all")))
                .add(new ARecord(n("h.example"), DClass.IN, 60, InetAddress.getByName("192.0.2.1")))
                .add(new MXRecord(n("m.example"), DClass.IN, 60, 10, n("h.example")))
                .add(new PTRRecord(ReverseMap.fromAddress("192.0.2.1"), DClass.IN, 60, n("h.example")));
        DnsResult<String> txt = get(dns.txt("t.example"));
        assertEquals(List.of("v=spf1 -all"), txt.valuesOrEmpty());
        assertEquals(Duration.ofSeconds(120), ((DnsResult.Found<String>) txt).ttl());
        assertEquals(List.of(InetAddress.getByName("192.0.2.1")), get(dns.a("H.Example.")).valuesOrEmpty());
        assertEquals(List.of(new DnsResolver.MxData(10, "h.example")), get(dns.mx("m.example")).valuesOrEmpty());
        assertEquals(List.of("h.example"), get(dns.ptr(InetAddress.getByName("192.0.2.1"))).valuesOrEmpty());
        assertInstanceOf(DnsResult.NoData.class, get(dns.aaaa("h.example")));
        assertInstanceOf(DnsResult.NxDomain.class, get(dns.a("absent.example")));
    }

    @Test
    void positiveAnswersAreCachedForTheirTtlOnly() throws Exception {
        server.add(new ARecord(n("cached.example"), DClass.IN, 300, InetAddress.getByName("192.0.2.2")))
                .add(new ARecord(n("ttl0.example"), DClass.IN, 0, InetAddress.getByName("192.0.2.3")));
        get(dns.a("cached.example"));
        get(dns.a("cached.example"));
        assertEquals(1, server.queries.get());
        get(dns.a("ttl0.example"));
        get(dns.a("ttl0.example"));
        assertEquals(3, server.queries.get(), "a TTL of 0 is not cached");
    }

    @Test
    void negativeAnswersAreCachedByTheSoaRule() throws Exception {
        server.add(new ARecord(n("exists.example"), DClass.IN, 300, InetAddress.getByName("192.0.2.2")));
        get(dns.a("nx.example"));
        assertInstanceOf(DnsResult.NxDomain.class, get(dns.a("nx.example")));
        get(dns.txt("exists.example"));
        assertInstanceOf(DnsResult.NoData.class, get(dns.txt("exists.example")));
        assertEquals(2, server.queries.get());
    }

    @Test
    void servfailIsTemporaryAndNotCached() throws Exception {
        server.servfail("broken.example");
        assertInstanceOf(DnsResult.TempError.class, get(dns.txt("broken.example")));
        assertInstanceOf(DnsResult.TempError.class, get(dns.txt("broken.example")));
        assertEquals(2, server.queries.get());
    }

    @Test
    void noAnswerIsATimeoutWithinTheConfiguredBound() throws Exception {
        AsyncDnsResolver quick = new AsyncDnsResolver(ResolverSettings.of(server.address(), Duration.ofMillis(300)));
        server.silent("slow.example");
        DnsResult<String> r = get(quick.txt("slow.example"));
        assertTrue(r instanceof DnsResult.TempError<String> t && t.reason().contains("timed out"), r.toString());
    }

    @Test
    void cnameChainsAreFollowedAndLoopsRefused() throws Exception {
        server.add(new CNAMERecord(n("alias.example"), DClass.IN, 60, n("real.example")))
                .add(new ARecord(n("real.example"), DClass.IN, 60, InetAddress.getByName("192.0.2.9")))
                .add(new CNAMERecord(n("loop1.example"), DClass.IN, 60, n("loop2.example")))
                .add(new CNAMERecord(n("loop2.example"), DClass.IN, 60, n("loop1.example")));
        assertEquals(List.of(InetAddress.getByName("192.0.2.9")), get(dns.a("alias.example")).valuesOrEmpty());
        DnsResult<InetAddress> loop = get(dns.a("loop1.example"));
        assertTrue(loop instanceof DnsResult.TempError<InetAddress> t && t.reason().contains("CNAME loop"),
                loop.toString());
    }

    @Test
    void recordsOfOtherTypesOrNamesAreIgnored() throws Exception {
        server.add(new ARecord(n("wrong.example"), DClass.IN, 60, InetAddress.getByName("192.0.2.1")));
        server.rewrite("wrong.example", m -> {
            Message out = new Message(m.getHeader().getID());
            out.getHeader().setFlag(org.xbill.DNS.Flags.QR);
            out.addRecord(m.getQuestion(), Section.QUESTION);
            out.addRecord(new ARecord(n("wrong.example"), DClass.IN, 60, InetAddress.getLoopbackAddress()), Section.ANSWER);
            out.addRecord(new TXTRecord(n("elsewhere.example"), DClass.IN, 60, "v=spf1 +all"), Section.ANSWER);
            return out;
        });
        assertInstanceOf(DnsResult.NoData.class, get(dns.txt("wrong.example")));
    }

    @Test
    void anAnswerToAnotherQuestionIsRefused() throws Exception {
        server.add(new TXTRecord(n("q.example"), DClass.IN, 60, "hello"));
        server.rewrite("q.example", m -> {
            Message out = new Message(m.getHeader().getID());
            out.getHeader().setFlag(org.xbill.DNS.Flags.QR);
            out.addRecord(Record.newRecord(n("other.example"), Type.TXT, DClass.IN), Section.QUESTION);
            out.addRecord(new TXTRecord(n("other.example"), DClass.IN, 60, "v=spf1 +all"), Section.ANSWER);
            return out;
        });
        assertInstanceOf(DnsResult.TempError.class, get(dns.txt("q.example")));
    }

    @Test
    void aLargeAnswerComesOverTcpAndAnOversizedRrsetIsRefused() throws Exception {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            strings.add("x".repeat(250));
        }
        server.add(new TXTRecord(n("huge.example"), DClass.IN, 60, strings));
        String text = get(dns.txt("huge.example")).valuesOrEmpty().get(0);
        assertEquals(200 * 250, text.length());
        assertTrue(server.tcpQueries.get() > 0, "the truncated UDP answer was retried over TCP");

        for (int i = 0; i < AsyncDnsResolver.MAX_RECORDS + 1; i++) {
            server.add(new TXTRecord(n("many.example"), DClass.IN, 60, "r" + i));
        }
        DnsResult<String> many = get(dns.txt("many.example"));
        assertTrue(many instanceof DnsResult.TempError<String> t && t.reason().contains("more than"), many.toString());
    }

    @Test
    void theCacheIsBoundedInEntries() throws Exception {
        AsyncDnsResolver small = new AsyncDnsResolver(new ResolverSettings(List.of(server.address()),
                Duration.ofSeconds(2), 2, 1 << 20, Duration.ofHours(1)));
        for (int i = 0; i < 5; i++) {
            server.add(new ARecord(n("h" + i + ".example"), DClass.IN, 300, InetAddress.getByName("192.0.2." + (i + 1))));
            get(small.a("h" + i + ".example"));
        }
        assertEquals(2, small.cachedAnswers());
    }

    @Test
    void aNameDnsCannotCarryIsInvalidWithoutAQuery() throws Exception {
        assertInstanceOf(DnsResult.InvalidName.class, get(dns.a("x".repeat(64) + ".example")));
        assertInstanceOf(DnsResult.InvalidName.class, get(dns.a("a..example")));
        assertInstanceOf(DnsResult.InvalidName.class, get(dns.a("caf\u00e9.example")));
        assertEquals(0, server.queries.get());
    }

    @Test
    void theNextServerIsAskedWhenTheFirstDoesNotAnswer() throws Exception {
        try (LoopbackDnsServer second = new LoopbackDnsServer()) {
            server.silent("fallback.example");
            second.add(new ARecord(n("fallback.example"), DClass.IN, 60, InetAddress.getByName("192.0.2.77")));
            AsyncDnsResolver both = new AsyncDnsResolver(new ResolverSettings(List.of(server.address(), second.address()),
                    Duration.ofSeconds(4), 100, 1 << 20, Duration.ofHours(1)));
            assertEquals(List.of(InetAddress.getByName("192.0.2.77")), get(both.a("fallback.example")).valuesOrEmpty());
        }
    }

    @Test
    void identicalQuestionsInFlightShareOneQuery() throws Exception {
        server.add(new ARecord(n("busy.example"), DClass.IN, 60, InetAddress.getByName("192.0.2.5")));
        server.rewrite("busy.example", m -> {
            try {
                Thread.sleep(1000); // keeps the first question in flight while the others are asked
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return m;
        });
        var first = dns.a("busy.example").toCompletableFuture();
        var second = dns.a("BUSY.example.").toCompletableFuture();
        var third = dns.a("busy.example").toCompletableFuture();
        assertEquals(List.of(InetAddress.getByName("192.0.2.5")), get(second).valuesOrEmpty());
        assertEquals(get(first), get(third));
        assertEquals(1, server.queries.get());
    }
}
