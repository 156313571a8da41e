package io.mailfleet.core.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node's one DNS resolver: dnsjava's non-blocking client behind a TTL-respecting positive and
 * negative (RFC 2308) cache, bounded in entries and bytes. Identical questions in flight share one
 * query. Every answer is checked before use: records of other names or types are ignored, CNAME
 * chains are followed up to {@value #MAX_CNAME_HOPS} hops with loop detection, RRsets above
 * {@value #MAX_RECORDS} records, truncated answers, mismatched questions, SERVFAIL and timeouts become
 * {@link DnsResult.TempError}. Nothing waits on a thread; the stages never complete exceptionally.
 */
public final class AsyncDnsResolver implements DnsResolver {

    static final int MAX_CNAME_HOPS = 8;
    static final int MAX_RECORDS = 256;

    private static final Logger LOG = LoggerFactory.getLogger(AsyncDnsResolver.class);

    private final Resolver resolver;
    private final Duration timeout;
    private final Duration maxTtl;
    private final DnsCache cache;
    private final ConcurrentHashMap<DnsCache.Key, CompletableFuture<DnsResult<Record>>> inFlight =
            new ConcurrentHashMap<>();

    public AsyncDnsResolver(ResolverSettings settings) {
        this.timeout = settings.timeout();
        this.maxTtl = settings.maxTtl();
        this.cache = new DnsCache(settings.cacheEntries(), settings.cacheBytes(), System::nanoTime);
        if (settings.servers().size() == 1) {
            SimpleResolver simple = new SimpleResolver(settings.servers().get(0));
            simple.setTimeout(timeout);
            this.resolver = simple;
        } else {
            List<Resolver> each = new ArrayList<>();
            for (var server : settings.servers()) {
                SimpleResolver simple = new SimpleResolver(server);
                simple.setTimeout(timeout.dividedBy(settings.servers().size()));
                each.add(simple);
            }
            ExtendedResolver extended = new ExtendedResolver(each);
            extended.setRetries(1);
            extended.setLoadBalance(false);
            extended.setTimeout(timeout);
            this.resolver = extended;
        }
    }

    @Override
    public CompletionStage<DnsResult<Record>> query(Name parsed, int type) {
        DnsCache.Key key = new DnsCache.Key(parsed.toString().toLowerCase(Locale.ROOT), type);
        DnsResult<Record> cached = cache.get(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<DnsResult<Record>> mine = new CompletableFuture<>();
        CompletableFuture<DnsResult<Record>> shared = inFlight.putIfAbsent(key, mine);
        if (shared != null) {
            return shared.thenApply(r -> r);
        }
        resolve(parsed, type, parsed, new HashSet<>(), Long.MAX_VALUE).whenComplete((timed, error) -> {
            inFlight.remove(key, mine);
            if (error != null) {
                LOG.warn("DNS lookup {} {} failed unexpectedly", parsed, Type.string(type), error);
                mine.complete(new DnsResult.TempError<>("internal error: " + error));
                return;
            }
            cache.put(key, timed.result, timed.ttlNanos);
            mine.complete(timed.result);
        });
        return mine.thenApply(r -> r);
    }

    /** Answers currently cached (for tests and metrics). */
    public int cachedAnswers() {
        return cache.size();
    }

    /** A result with how long it may be cached (0: not at all). */
    private record Timed(DnsResult<Record> result, long ttlNanos) {
    }

    private CompletableFuture<Timed> resolve(Name original, int type, Name current, Set<Name> visited,
                                             long ttlSoFar) {
        Message q = Message.newQuery(Record.newRecord(current, type, DClass.IN));
        CompletableFuture<Message> sent;
        try {
            sent = resolver.sendAsync(q).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(temp(describe(e)));
        }
        return sent.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((response, error) -> {
            if (error != null) {
                return CompletableFuture.completedFuture(temp(describe(error) + " for " + current + " "
                        + Type.string(type)));
            }
            return interpret(original, type, current, visited, ttlSoFar, response);
        }).thenCompose(s -> s);
    }

    private CompletableFuture<Timed> interpret(Name original, int type, Name asked, Set<Name> visited,
                                               long ttlSoFar, Message response) {
        Record question = response.getQuestion();
        if (question == null || !question.getName().equals(asked) || question.getType() != type) {
            return done(temp("answer for " + asked + " " + Type.string(type) + " does not match the question"));
        }
        if (response.getHeader().getFlag(Flags.TC)) {
            return done(temp("truncated answer for " + asked + " " + Type.string(type)));
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return done(new Timed(new DnsResult.NxDomain<>(), negative(ttlSoFar, response)));
        }
        if (rcode != Rcode.NOERROR) {
            return done(temp(Rcode.string(rcode) + " for " + asked + " " + Type.string(type)));
        }
        List<Record> answers = response.getSection(Section.ANSWER);
        Name current = asked;
        long ttl = ttlSoFar;
        while (true) {
            if (!visited.add(current)) {
                return done(temp("CNAME loop at " + current + " for " + original));
            }
            if (visited.size() > MAX_CNAME_HOPS + 1) {
                return done(temp("CNAME chain of " + original + " is longer than " + MAX_CNAME_HOPS));
            }
            List<Record> matching = new ArrayList<>();
            CNAMERecord alias = null;
            for (Record r : answers) {
                if (!r.getName().equals(current)) {
                    continue;
                }
                if (r.getType() == type) {
                    matching.add(r);
                } else if (r instanceof CNAMERecord c && type != Type.CNAME) {
                    alias = c;
                }
            }
            if (!matching.isEmpty()) {
                if (matching.size() > MAX_RECORDS) {
                    return done(temp(matching.size() + " " + Type.string(type) + " records for " + current
                            + " (more than " + MAX_RECORDS + ")"));
                }
                long minTtl = ttl;
                for (Record r : matching) {
                    minTtl = Math.min(minTtl, r.getTTL());
                }
                Duration d = Duration.ofSeconds(Math.min(minTtl, maxTtl.toSeconds()));
                return done(new Timed(new DnsResult.Found<>(matching, d), d.toNanos()));
            }
            if (alias == null) {
                return done(new Timed(new DnsResult.NoData<>(), negative(ttl, response)));
            }
            ttl = Math.min(ttl, alias.getTTL());
            Name target = alias.getTarget();
            boolean inAnswer = false;
            for (Record r : answers) {
                if (r.getName().equals(target)) {
                    inAnswer = true;
                    break;
                }
            }
            if (!inAnswer) {
                if (visited.contains(target)) {
                    return done(temp("CNAME loop at " + target + " for " + original));
                }
                if (visited.size() >= MAX_CNAME_HOPS + 1) {
                    return done(temp("CNAME chain of " + original + " is longer than " + MAX_CNAME_HOPS));
                }
                return resolve(original, type, target, visited, ttl);
            }
            current = target;
        }
    }

    /**
     * RFC 2308 section 5: a negative answer is kept for the SOA's TTL or its MINIMUM, whichever is
     * smaller (and no longer than a CNAME that led to it); without an SOA it is not kept at all.
     */
    private long negative(long chainTtlSeconds, Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                long seconds = Math.min(Math.min(soa.getTTL(), soa.getMinimum()), maxTtl.toSeconds());
                return TimeUnit.SECONDS.toNanos(Math.min(seconds, chainTtlSeconds));
            }
        }
        return 0;
    }

    private static Timed temp(String reason) {
        return new Timed(new DnsResult.TempError<>(reason), 0);
    }

    private static CompletableFuture<Timed> done(Timed t) {
        return CompletableFuture.completedFuture(t);
    }

    private static String describe(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof TimeoutException || e instanceof java.net.SocketTimeoutException) {
            return "timed out";
        }
        String msg = e.getMessage();
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

}
