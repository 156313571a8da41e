package io.mailfleet.core.auth.spf;

import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.dns.DnsResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The SPF check of RFC 7208: {@code check_host()} for the MAIL FROM and the HELO identities, with
 * every mechanism, modifier and macro, the processing limits of section 4.6.4 (10 DNS-querying terms,
 * 2 void lookups, 10 MX and 10 PTR names) and the explanation of section 6.2. Asynchronous over
 * {@link DnsResolver}: nothing blocks, and the stage always completes normally with a verdict.
 */
public final class SpfEvaluator {

    static final int MAX_DNS_TERMS = 10;
    static final int MAX_VOID_LOOKUPS = 2;
    static final int MAX_MX_NAMES = 10;
    static final int MAX_PTR_NAMES = 10;
    private static final int MAX_DOMAIN_LENGTH = 253;

    private static final Logger LOG = LoggerFactory.getLogger(SpfEvaluator.class);

    private final DnsResolver dns;
    private final String receiver;
    private final MacroString defaultExplanation;
    private final Clock clock;

    /**
     * @param receiver           this host's name, the %{r} macro
     * @param defaultExplanation explanation macro-string used for fail when the domain gives none
     * @throws IllegalArgumentException when the default explanation is not a valid macro-string
     */
    public SpfEvaluator(DnsResolver dns, String receiver, String defaultExplanation, Clock clock) {
        this.dns = dns;
        this.receiver = receiver == null || receiver.isBlank() ? "unknown" : receiver;
        this.clock = clock;
        try {
            this.defaultExplanation = MacroString.parse(defaultExplanation, true);
        } catch (SpfException e) {
            throw new IllegalArgumentException("default SPF explanation: " + e.getMessage(), e);
        }
    }

    /** With the usual default explanation and the system clock. */
    public SpfEvaluator(DnsResolver dns, String receiver) {
        this(dns, receiver, "%{i} is not one of %{d}'s designated mail servers.", Clock.systemUTC());
    }

    /**
     * Checks the MAIL FROM identity (section 2.4); an empty reverse-path checks postmaster@HELO.
     *
     * @param client   the SMTP client's address
     * @param mailFrom the reverse-path without angle brackets ("" for the null sender)
     * @param helo     the HELO/EHLO argument
     */
    public CompletionStage<SpfVerdict> checkMailFrom(InetAddress client, String mailFrom, String helo) {
        String from = mailFrom == null ? "" : mailFrom.strip();
        if (from.isEmpty()) {
            return checkHelo(client, helo);
        }
        int at = from.lastIndexOf('@');
        String local = at < 0 ? "postmaster" : from.substring(0, at);
        String domain = at < 0 ? from : from.substring(at + 1);
        return check(client, local.isEmpty() ? "postmaster" : local, domain, helo);
    }

    /** Checks the HELO identity (section 2.3): postmaster@HELO; not a domain name gives none. */
    public CompletionStage<SpfVerdict> checkHelo(InetAddress client, String helo) {
        String h = helo == null ? "" : helo.strip();
        return check(client, "postmaster", h, h);
    }

    private CompletionStage<SpfVerdict> check(InetAddress client, String local, String domain, String helo) {
        String invalid = invalidDomain(domain);
        if (invalid != null) {
            return CompletableFuture.completedFuture(new SpfVerdict(SpfResult.NONE, null, invalid));
        }
        Evaluation e = new Evaluation(client, local, domain, helo == null ? "" : helo);
        return CompletableFuture.completedFuture(null)
                .thenCompose(v -> checkHost(e, domain, true))
                .handle((verdict, error) -> {
                    if (error == null) {
                        return verdict;
                    }
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof SpfException s) {
                        return new SpfVerdict(s.result(), null, s.getMessage());
                    }
                    LOG.warn("SPF check of {} for {} failed unexpectedly", domain, client.getHostAddress(), cause);
                    return new SpfVerdict(SpfResult.TEMPERROR, null, "internal error: " + cause);
                });
    }

    /** Why a domain cannot be checked at all (section 4.3), or null when it can. */
    static String invalidDomain(String domain) {
        if (domain.isEmpty() || domain.startsWith("[")) {
            return "no domain to check";
        }
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (d.length() > MAX_DOMAIN_LENGTH) {
            return "domain " + domain + " is too long";
        }
        String[] labels = d.split("\\.", -1);
        if (labels.length < 2) {
            return "domain " + domain + " is not a fully qualified domain name";
        }
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63) {
                return "domain " + domain + " has an empty or too long label";
            }
        }
        return null;
    }

    // ---- check_host() ----

    private CompletionStage<SpfVerdict> checkHost(Evaluation e, String domain, boolean explain) {
        return record(domain).thenCompose(rec -> rec == null
                ? done(new SpfVerdict(SpfResult.NONE, null, "no SPF record at " + domain))
                : evaluate(e, domain, rec, 0, explain));
    }

    /** The domain's one SPF record, null for none (section 4.4-4.5). */
    private CompletionStage<SpfRecord> record(String domain) {
        return dns.txt(domain).thenApply(answer -> {
            if (answer instanceof DnsResult.TempError<String> t) {
                throw SpfException.temp("SPF record lookup for " + domain + ": " + t.reason());
            }
            List<String> spf = new ArrayList<>();
            for (String txt : answer.valuesOrEmpty()) {
                if (SpfRecord.isSpf1(txt)) {
                    spf.add(txt);
                }
            }
            if (spf.isEmpty()) {
                return null;
            }
            if (spf.size() > 1) {
                throw SpfException.perm(domain + " publishes more than one SPF record");
            }
            return SpfRecord.parse(spf.get(0));
        });
    }

    /** Evaluates directives from index {@code from}; only DNS-querying ones suspend. */
    private CompletionStage<SpfVerdict> evaluate(Evaluation e, String domain, SpfRecord rec, int from,
                                                 boolean explain) {
        List<SpfRecord.Directive> directives = rec.directives();
        for (int i = from; i < directives.size(); i++) {
            SpfRecord.Directive d = directives.get(i);
            SpfRecord.Mechanism m = d.mechanism();
            if (m instanceof SpfRecord.All) {
                return matched(e, domain, rec, d, explain);
            }
            if (m instanceof SpfRecord.Ip ip) {
                if (Networks.contains(ip.network(), ip.cidr(), e.client)) {
                    return matched(e, domain, rec, d, explain);
                }
                continue;
            }
            e.countDnsTerm(d.text());
            int next = i + 1;
            return matches(e, domain, m).thenCompose(hit -> hit
                    ? matched(e, domain, rec, d, explain)
                    : evaluate(e, domain, rec, next, explain));
        }
        if (rec.redirect() != null) {
            e.countDnsTerm("redirect=" + rec.redirect().source());
            return targetName(e, rec.redirect(), domain).thenCompose(target -> {
                if (invalidDomain(target) != null) {
                    throw SpfException.perm("redirect= to an invalid domain '" + target + "'");
                }
                return checkHost(e, target, explain);
            }).thenApply(v -> {
                if (v.result() == SpfResult.NONE) {
                    throw SpfException.perm("redirect= target of " + domain + " has no SPF record");
                }
                return v;
            });
        }
        return done(new SpfVerdict(SpfResult.NEUTRAL, null, "no term of " + domain + " matched"));
    }

    private CompletionStage<SpfVerdict> matched(Evaluation e, String domain, SpfRecord rec, SpfRecord.Directive d,
                                                boolean explain) {
        String reason = domain + ": " + d.text() + " matched";
        if (d.qualifier() != SpfResult.FAIL || !explain) {
            return done(new SpfVerdict(d.qualifier(), null, reason));
        }
        return explanation(e, domain, rec).thenApply(x -> new SpfVerdict(SpfResult.FAIL, x, reason));
    }

    private CompletionStage<Boolean> matches(Evaluation e, String domain, SpfRecord.Mechanism m) {
        if (m instanceof SpfRecord.Include inc) {
            return targetName(e, inc.domain(), domain).thenCompose(target -> checkHost(e, target, false))
                    .thenApply(v -> switch (v.result()) {
                        case PASS -> true;
                        case FAIL, SOFTFAIL, NEUTRAL -> false;
                        case TEMPERROR -> throw SpfException.temp(v.reason());
                        case PERMERROR -> throw SpfException.perm(v.reason());
                        case NONE -> throw SpfException.perm("include:" + inc.domain().source()
                                + " has no SPF record");
                    });
        }
        if (m instanceof SpfRecord.A a) {
            return targetName(e, a.domain(), domain).thenCompose(target -> addresses(e, target, true))
                    .thenApply(found -> anyWithin(e, found, a.cidr4(), a.cidr6()));
        }
        if (m instanceof SpfRecord.Mx mx) {
            return targetName(e, mx.domain(), domain).thenCompose(target -> mxAddresses(e, target))
                    .thenApply(found -> anyWithin(e, found, mx.cidr4(), mx.cidr6()));
        }
        if (m instanceof SpfRecord.Ptr ptr) {
            return targetName(e, ptr.domain(), domain).thenCompose(target -> e.validatedNames(true)
                    .thenApply(names -> names.stream().anyMatch(n -> isSameOrSub(n, target))));
        }
        SpfRecord.Exists exists = (SpfRecord.Exists) m;
        return targetName(e, exists.domain(), domain).thenCompose(target -> dns.a(target)).thenApply(answer -> {
            if (answer instanceof DnsResult.TempError<InetAddress> t) {
                throw SpfException.temp("exists: " + t.reason());
            }
            if (answer.isVoid()) {
                e.countVoid();
            }
            return !answer.valuesOrEmpty().isEmpty();
        });
    }

    /** A or AAAA records of the client's family; void answers count toward the limit when asked. */
    private CompletionStage<List<InetAddress>> addresses(Evaluation e, String host, boolean countVoid) {
        CompletionStage<DnsResult<InetAddress>> lookup = e.client instanceof Inet4Address ? dns.a(host) : dns.aaaa(host);
        return lookup.thenApply(answer -> {
            if (answer instanceof DnsResult.TempError<InetAddress> t) {
                throw SpfException.temp("address lookup for " + host + ": " + t.reason());
            }
            if (answer.isVoid() && countVoid) {
                e.countVoid();
            }
            return answer.valuesOrEmpty();
        });
    }

    private CompletionStage<List<InetAddress>> mxAddresses(Evaluation e, String target) {
        return dns.mx(target).thenCompose(answer -> {
            if (answer instanceof DnsResult.TempError<DnsResolver.MxData> t) {
                throw SpfException.temp("MX lookup for " + target + ": " + t.reason());
            }
            if (answer.isVoid()) {
                e.countVoid();
            }
            List<DnsResolver.MxData> mx = answer.valuesOrEmpty();
            if (mx.size() > MAX_MX_NAMES) {
                throw SpfException.perm(target + " has more than " + MAX_MX_NAMES + " MX records");
            }
            List<CompletableFuture<List<InetAddress>>> lookups = new ArrayList<>();
            for (DnsResolver.MxData m : mx) {
                if (!m.host().equals(".")) {
                    lookups.add(addresses(e, m.host(), false).toCompletableFuture());
                }
            }
            return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<InetAddress> all = new ArrayList<>();
                lookups.forEach(l -> all.addAll(l.join()));
                return all;
            });
        });
    }

    private static boolean anyWithin(Evaluation e, List<InetAddress> found, int cidr4, int cidr6) {
        for (InetAddress a : found) {
            if (Networks.contains(a, a instanceof Inet4Address ? cidr4 : cidr6, e.client)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSameOrSub(String name, String domain) {
        String n = stripDot(name).toLowerCase(Locale.ROOT);
        String d = stripDot(domain).toLowerCase(Locale.ROOT);
        return n.equals(d) || n.endsWith("." + d);
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** The target of a mechanism: its expanded domain-spec, or the current domain (section 4.8). */
    private CompletionStage<String> targetName(Evaluation e, MacroString spec, String domain) {
        if (spec == null) {
            return done(domain);
        }
        return expand(e, spec, domain).thenApply(SpfEvaluator::truncate);
    }

    /** Section 7.3: drop leading labels until the name fits in 253 characters. */
    static String truncate(String name) {
        String n = name;
        while (stripDot(n).length() > MAX_DOMAIN_LENGTH && n.indexOf('.') >= 0) {
            n = n.substring(n.indexOf('.') + 1);
        }
        return n;
    }

    private CompletionStage<String> expand(Evaluation e, MacroString spec, String domain) {
        if (!spec.usesPtr()) {
            return done(spec.expand(e.values(domain, null)));
        }
        return e.validatedNames(false).thenApply(names -> spec.expand(e.values(domain, pName(names, domain))));
    }

    /** %{p}: a validated name equal to the domain, else one of its subdomains, else any (section 7.3). */
    private static String pName(List<String> names, String domain) {
        for (String n : names) {
            if (stripDot(n).equalsIgnoreCase(stripDot(domain))) {
                return n;
            }
        }
        for (String n : names) {
            if (isSameOrSub(n, domain)) {
                return n;
            }
        }
        return names.isEmpty() ? "unknown" : names.get(0);
    }

    // ---- explanation (section 6.2) ----

    private CompletionStage<String> explanation(Evaluation e, String domain, SpfRecord rec) {
        CompletionStage<String> fallback = defaultExplanation(e, domain);
        if (rec.exp() == null) {
            return fallback;
        }
        return targetName(e, rec.exp(), domain)
                .thenCompose(target -> dns.txt(target))
                .thenCompose(answer -> {
                    List<String> texts = answer.valuesOrEmpty();
                    if (texts.size() != 1) {
                        return fallback;
                    }
                    MacroString text = MacroString.parse(texts.get(0), true);
                    return expand(e, text, domain);
                })
                .handle((x, error) -> error == null ? done(x) : fallback)
                .thenCompose(s -> s);
    }

    private CompletionStage<String> defaultExplanation(Evaluation e, String domain) {
        return expand(e, defaultExplanation, domain).handle((x, error) -> error == null ? x : "");
    }

    /** The PTR answer: whether it was void, and the names that were validated. */
    private record PtrNames(boolean voidAnswer, List<String> names) {
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /**
     * The state of one check: identities and the counters of section 4.6.4. Used by one chain of
     * stages at a time, each stage after the previous one, so plain fields are safe.
     */
    private final class Evaluation {
        final InetAddress client;
        final String local;
        final String senderDomain;
        final String helo;
        private int dnsTerms;
        private int voids;
        private CompletableFuture<PtrNames> validated;

        Evaluation(InetAddress client, String local, String senderDomain, String helo) {
            this.client = client;
            this.local = local;
            this.senderDomain = senderDomain;
            this.helo = helo;
        }

        void countDnsTerm(String term) {
            if (++dnsTerms > MAX_DNS_TERMS) {
                throw SpfException.perm("more than " + MAX_DNS_TERMS + " DNS-querying terms (at " + term + ")");
            }
        }

        void countVoid() {
            if (++voids > MAX_VOID_LOOKUPS) {
                throw SpfException.perm("more than " + MAX_VOID_LOOKUPS + " void DNS lookups");
            }
        }

        /**
         * The client's validated host names (section 5.5): at most 10 PTR names, each kept when one of
         * its addresses is the client's. DNS errors skip a name; an empty PTR answer is a void lookup
         * when the ptr mechanism asks.
         */
        CompletionStage<List<String>> validatedNames(boolean countVoid) {
            if (validated == null) {
                validated = dns.ptr(client).thenCompose(answer -> {
                    List<String> names = answer.valuesOrEmpty();
                    if (names.size() > MAX_PTR_NAMES) {
                        names = names.subList(0, MAX_PTR_NAMES);
                    }
                    List<CompletableFuture<Boolean>> checks = new ArrayList<>();
                    for (String n : names) {
                        CompletionStage<DnsResult<InetAddress>> a =
                                client instanceof Inet4Address ? dns.a(n) : dns.aaaa(n);
                        checks.add(a.thenApply(r -> r.valuesOrEmpty().contains(client)).toCompletableFuture());
                    }
                    List<String> candidates = names;
                    return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(v -> {
                        List<String> ok = new ArrayList<>();
                        for (int i = 0; i < candidates.size(); i++) {
                            if (checks.get(i).join()) {
                                ok.add(candidates.get(i));
                            }
                        }
                        return new PtrNames(answer.isVoid(), List.copyOf(ok));
                    });
                }).toCompletableFuture();
            }
            return validated.thenApply(p -> {
                if (countVoid && p.voidAnswer()) {
                    countVoid();
                }
                return p.names();
            });
        }

        MacroString.Values values(String domain, String validatedName) {
            return letter -> switch (letter) {
                case 's' -> local + "@" + senderDomain;
                case 'l' -> local;
                case 'o' -> senderDomain;
                case 'd' -> domain;
                case 'i' -> Networks.dotted(client);
                case 'p' -> validatedName == null ? "unknown" : stripDot(validatedName);
                case 'v' -> client instanceof Inet4Address ? "in-addr" : "ip6";
                case 'h' -> helo;
                case 'c' -> Networks.readable(client);
                case 'r' -> receiver;
                case 't' -> Long.toString(clock.instant().getEpochSecond());
                default -> throw SpfException.perm("unknown macro letter " + letter);
            };
        }
    }
}
