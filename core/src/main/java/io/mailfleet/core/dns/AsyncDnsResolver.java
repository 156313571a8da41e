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
import org.xbill.DNS.dnssec.ValidatingResolver;

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
 *
 * <p>With trust anchors it also has a DNSSEC-validating mode ({@link #validated}): dnsjava's
 * {@link ValidatingResolver} in front of the same servers, its answers cached apart from the plain ones
 * (a secure, insecure or bogus verdict is part of the answer).
 */
public final class AsyncDnsResolver implements DnsResolver {

    static final int MAX_CNAME_HOPS = 8;
    static final int MAX_RECORDS = 256;

    private static final Logger LOG = LoggerFactory.getLogger(AsyncDnsResolver.class);

    private final Resolver resolver;
    /** The validating mode, or null when the resolver has no trust anchors. */
    private final ValidatingResolver validator;
    private final Duration timeout;
    private final Duration maxTtl;
    private final DnsCache cache;
    private final ConcurrentHashMap<DnsCache.Key, CompletableFuture<DnsResult<Record>>> inFlight =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<DnsCache.Key, CompletableFuture<ValidatedAnswer>> inFlightValidated =
            new ConcurrentHashMap<>();

    public AsyncDnsResolver(ResolverSettings settings) {
        this(settings, null);
    }

    /**
     * A resolver that can also validate DNSSEC ({@link #validated}) from {@code anchors}.
     *
     * @throws IllegalArgumentException when the anchors cannot be loaded
     */
    public AsyncDnsResolver(ResolverSettings settings, DnssecAnchors anchors) {
        this.timeout = settings.timeout();
        this.maxTtl = settings.maxTtl();
        this.cache = new DnsCache(settings.cacheEntries(), settings.cacheBytes(), System::nanoTime);
        this.resolver = head(settings);
        if (anchors == null) {
            this.validator = null;
        } else {
            // Its own head resolver: the validator turns on EDNS DO, which plain questions do not need.
            this.validator = new ValidatingResolver(head(settings));
            this.validator.setTimeout(timeout);
            try (var in = anchors.open()) {
                validator.loadTrustAnchors(in);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(anchors + ": " + e.getMessage(), e);
            }
            if (validator.getTrustAnchors().items().isEmpty()) {
                throw new IllegalArgumentException(anchors + ": no usable trust anchor");
            }
        }
    }

    private static Resolver head(ResolverSettings settings) {
        Duration timeout = settings.timeout();
        if (settings.servers().size() == 1) {
            SimpleResolver simple = new SimpleResolver(settings.servers().get(0));
            simple.setTimeout(timeout);
            return simple;
        }
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
        return extended;
    }

    /** True when {@link #validated} checks DNSSEC (trust anchors are configured). */
    @Override
    public boolean validates() {
        return validator != null;
    }

    @Override
    public CompletionStage<ValidatedAnswer> validated(Name parsed, int type) {
        if (validator == null) {
            return query(parsed, type).thenApply(r -> new ValidatedAnswer(r, DnssecStatus.INSECURE,
                    "the resolver has no DNSSEC trust anchors"));
        }
        DnsCache.Key key = new DnsCache.Key(parsed.toString().toLowerCase(Locale.ROOT), type, true);
        ValidatedAnswer cached = cache.getValidated(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<ValidatedAnswer> mine = new CompletableFuture<>();
        CompletableFuture<ValidatedAnswer> shared = inFlightValidated.putIfAbsent(key, mine);
        if (shared != null) {
            return shared.thenApply(r -> r);
        }
        resolve(validator, parsed, type, parsed, new HashSet<>(), Long.MAX_VALUE, DnssecStatus.SECURE, "")
                .whenComplete((timed, error) -> {
                    inFlightValidated.remove(key, mine);
                    if (error != null) {
                        LOG.warn("validated DNS lookup {} {} failed unexpectedly", parsed, Type.string(type), error);
                        mine.complete(new ValidatedAnswer(new DnsResult.TempError<>("internal error: " + error),
                                DnssecStatus.INSECURE, ""));
                        return;
                    }
                    ValidatedAnswer answer = new ValidatedAnswer(timed.result, timed.status, timed.reason);
                    // Bogus answers are not cached: a re-signed zone must be usable at the next attempt.
                    if (timed.status != DnssecStatus.BOGUS) {
                        cache.put(key, answer, timed.ttlNanos);
                    }
                    mine.complete(answer);
                });
        return mine.thenApply(r -> r);
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
        resolve(resolver, parsed, type, parsed, new HashSet<>(), Long.MAX_VALUE, DnssecStatus.INSECURE, "")
                .whenComplete((timed, error) -> {
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

    /**
     * A result with how long it may be cached (0: not at all) and, in the validating mode, the weakest
     * DNSSEC status of the responses it was built from.
     */
    private record Timed(DnsResult<Record> result, long ttlNanos, DnssecStatus status, String reason) {
        Timed(DnsResult<Record> result, long ttlNanos) {
            this(result, ttlNanos, DnssecStatus.SECURE, "");
        }

        Timed with(DnssecStatus s, String why) {
            return new Timed(result, ttlNanos, s, why);
        }
    }

    /**
     * @param via         the plain resolver, or the validator
     * @param statusSoFar the status of the responses that led here (CNAMEs); SECURE at the start of a validated lookup
     */
    private CompletableFuture<Timed> resolve(Resolver via, Name original, int type, Name current, Set<Name> visited,
                                             long ttlSoFar, DnssecStatus statusSoFar, String reasonSoFar) {
        Message q = Message.newQuery(Record.newRecord(current, type, DClass.IN));
        CompletableFuture<Message> sent;
        try {
            sent = via.sendAsync(q).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(temp(describe(e)).with(DnssecStatus.INSECURE, "lookup failed"));
        }
        return sent.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((response, error) -> {
            if (error != null) {
                return CompletableFuture.completedFuture(temp(describe(error) + " for " + current + " "
                        + Type.string(type)).with(DnssecStatus.INSECURE, "lookup failed"));
            }
            if (via != validator) {
                return interpret(via, original, type, current, visited, ttlSoFar, response, statusSoFar, reasonSoFar);
            }
            String bogus = bogusReason(response);
            if (bogus != null) {
                return done(temp("DNSSEC validation failed for " + current + " " + Type.string(type) + ": " + bogus)
                        .with(DnssecStatus.BOGUS, bogus));
            }
            boolean secure = response.getHeader().getFlag(Flags.AD);
            DnssecStatus status = statusSoFar.and(secure ? DnssecStatus.SECURE : DnssecStatus.INSECURE);
            String reason = secure ? reasonSoFar : (reasonSoFar.isEmpty()
                    ? current + " " + Type.string(type) + " is not signed (insecure)" : reasonSoFar);
            return interpret(via, original, type, current, visited, ttlSoFar, response, status, reason);
        }).thenCompose(s -> s);
    }

    /**
     * The validator's verdict "bogus": SERVFAIL with its reason in the additional section (a TXT record of
     * class {@link ValidatingResolver#VALIDATION_REASON_QCLASS}); null for any other response.
     */
    private static String bogusReason(Message response) {
        if (response.getRcode() != Rcode.SERVFAIL) {
            return null;
        }
        for (Record r : response.getSection(Section.ADDITIONAL)) {
            if (r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS && r instanceof org.xbill.DNS.TXTRecord t) {
                return String.join(" ", t.getStrings());
            }
        }
        return null;
    }

    private CompletableFuture<Timed> interpret(Resolver via, Name original, int type, Name asked, Set<Name> visited,
                                               long ttlSoFar, Message response, DnssecStatus status, String reason) {
        // A terminal answer is neutral (SECURE); a followed CNAME brings the status of the rest of the chain.
        return interpret(via, original, type, asked, visited, ttlSoFar, response, status).thenApply(t -> {
            if (t.status != DnssecStatus.BOGUS && t.result instanceof DnsResult.TempError) {
                // No answer proves nothing: a failed lookup is never "secure".
                return t.with(DnssecStatus.INSECURE, "lookup failed");
            }
            DnssecStatus combined = t.status.and(status);
            return t.with(combined, combined == DnssecStatus.SECURE ? "" : t.reason.isEmpty() ? reason : t.reason);
        });
    }

    private CompletableFuture<Timed> interpret(Resolver via, Name original, int type, Name asked, Set<Name> visited,
                                               long ttlSoFar, Message response, DnssecStatus status) {
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
                return resolve(via, original, type, target, visited, ttl, status, "");
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
