package io.mailfleet.core.auth.spf;

import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.core.dns.LoopbackDnsServer;
import io.mailfleet.core.dns.ResolverSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the OpenSPF conformance suites (RFC 7208, and the older RFC 4408 one) against
 * {@link SpfEvaluator}: every scenario must give the expected result or one of the listed
 * alternatives, and the explanation where the suite names one. The zone data is served by a real
 * DNS server on loopback ({@link LoopbackDnsServer}, UDP with TCP fallback) through the production
 * {@link AsyncDnsResolver}; the suite's TIMEOUT entries are real unanswered queries. The suite's
 * Received-SPF header checks are not run: Mailfleet writes Authentication-Results instead.
 */
class SpfConformanceTest {

    /**
     * Every TIMEOUT scenario waits this long for its unanswered query; answered ones come back from
     * loopback in milliseconds. 500 ms as in the other resolver tests on the loopback server.
     */
    private static final Duration DNS_TIMEOUT = Duration.ofMillis(500);
    private static LoopbackDnsServer server;
    private static final AtomicInteger run = new AtomicInteger();
    private static final AtomicInteger passed = new AtomicInteger();
    private static final java.util.Queue<String> alternatives = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        server = new LoopbackDnsServer();
        // the suite's driver treats absent names under "error." as DNS timeouts
        server.timeoutForAbsentNamesStartingWith("error");
    }

    @AfterAll
    static void stop() throws Exception {
        System.out.printf("SPF conformance: %d of %d scenarios passed; %d with an accepted alternative result: %s%n",
                passed.get(), run.get(), alternatives.size(), alternatives);
        server.close();
    }

    @TestFactory
    Stream<DynamicContainer> rfc7208() {
        return suite("/spf/rfc7208-tests.yml");
    }

    @TestFactory
    Stream<DynamicContainer> rfc4408() {
        return suite("/spf/rfc4408-tests.yml");
    }

    private Stream<DynamicContainer> suite(String resource) {
        List<SpfTestSuite.Scenario> scenarios = SpfTestSuite.load(resource);
        assertTrue(scenarios.size() > 10, "suite " + resource + " has its scenarios");
        return scenarios.stream().map(s -> DynamicContainer.dynamicContainer(s.description(),
                s.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(s, c)))));
    }

    private static void run(SpfTestSuite.Scenario scenario, SpfTestSuite.Case c) throws Exception {
        run.incrementAndGet();
        server.zone(scenario.zone());
        AsyncDnsResolver dns = new AsyncDnsResolver(ResolverSettings.of(server.address(), DNS_TIMEOUT));
        SpfEvaluator spf = new SpfEvaluator(dns, "receiver.example.test", "DEFAULT", Clock.systemUTC());
        SpfVerdict v = spf.checkMailFrom(InetAddress.getByName(c.host()), c.mailFrom(), c.helo())
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
        String got = v.result().keyword();
        assertTrue(c.results().contains(got), () -> c.name() + " (" + c.spec() + "): expected " + c.results()
                + " but was " + got + " — " + v.reason());
        if (!got.equals(c.results().get(0))) {
            alternatives.add(c.name() + "=" + got);
        }
        if (c.explanation() != null) {
            assertEquals(c.explanation(), v.explanation(), c.name() + " (" + c.spec() + ") explanation");
        }
        passed.incrementAndGet();
    }
}
