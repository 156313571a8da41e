package io.mailfleet.protocols.outbound;

import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.dns.DnsResult;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.IDN;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Resolves a destination to its mail exchangers over the node's DNS resolver ({@link DnsResolver}):
 * MX by preference (random order among equal preferences), implicit MX (A/AAAA) when there is no
 * MX record, null MX (RFC 7505) and NXDOMAIN as permanent failures, SERVFAIL and timeouts as
 * temporary ones. CNAME chains are followed.
 */
public final class MxResolver {

    private final DnsResolver resolver;
    private final Random random;

    /** With a resolver of its own (and so a cache of its own). */
    public MxResolver(DnsSettings settings) {
        this(settings, null);
    }

    /** Sharing the node's resolver and its cache with the other DNS users. */
    public MxResolver(DnsResolver resolver) {
        this.resolver = resolver;
        this.random = null;
    }

    /** With a fixed random source, for reproducible ordering. */
    MxResolver(DnsSettings settings, Random random) {
        this.resolver = new AsyncDnsResolver(settings.resolverSettings());
        this.random = random;
    }

    /** Resolves a nexthop: MX lookup for {@code host:port}, addresses only for {@code [host]:port}. */
    public CompletionStage<MxResult> resolve(NextHop nextHop) {
        return nextHop.mxLookup() ? resolveMx(nextHop.host()) : resolveHost(nextHop.host());
    }

    /** Finds the mail exchangers of a mail domain. */
    public CompletionStage<MxResult> resolveMx(String domain) {
        Name name;
        try {
            name = toName(domain);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new MxResult.PermanentFailure("5.1.2", e.getMessage()));
        }
        return query(name, Type.MX).thenCompose(answer -> {
            if (answer instanceof Lookup.NxDomain) {
                return done(new MxResult.PermanentFailure("5.1.2",
                        "domain " + domain + " does not exist (NXDOMAIN)"));
            }
            if (answer instanceof Lookup.TempFail t) {
                return done(new MxResult.TemporaryFailure("4.4.3",
                        "MX lookup for " + domain + " failed: " + t.reason()));
            }
            if (answer instanceof Lookup.NoData) {
                return implicitMx(domain, name);
            }
            return exchangers(domain, ((Lookup.Records) answer).records());
        }).exceptionally(e -> new MxResult.TemporaryFailure("4.4.3",
                "MX lookup for " + domain + " failed: " + e));
    }

    /** Resolves one host (or IP literal) to its addresses, as an exchanger with preference 0. */
    public CompletionStage<MxResult> resolveHost(String host) {
        InetAddress literal = ipLiteral(host);
        if (literal != null) {
            return done(new MxResult.Resolved(List.of(new MxHost(host, 0, List.of(literal)))));
        }
        Name name;
        try {
            name = toName(host);
        } catch (IllegalArgumentException e) {
            return done(new MxResult.PermanentFailure("5.4.4", e.getMessage()));
        }
        return addresses(name).thenApply(a -> {
            if (a instanceof Addresses.Found f) {
                return new MxResult.Resolved(List.of(new MxHost(host, 0, f.addresses())));
            }
            if (a instanceof Addresses.Missing m) {
                return new MxResult.PermanentFailure("5.4.4", "host " + host + " not found: " + m.reason());
            }
            return new MxResult.TemporaryFailure("4.4.3",
                    "address lookup for " + host + " failed: " + ((Addresses.Failed) a).reason());
        });
    }

    private CompletionStage<MxResult> implicitMx(String domain, Name name) {
        return addresses(name).thenApply(a -> {
            if (a instanceof Addresses.Found f) {
                return new MxResult.Resolved(List.of(new MxHost(domain, 0, f.addresses())));
            }
            if (a instanceof Addresses.Missing) {
                return new MxResult.PermanentFailure("5.1.2", "domain " + domain + " has no MX and no A/AAAA record");
            }
            return new MxResult.TemporaryFailure("4.4.3",
                    "address lookup for " + domain + " failed: " + ((Addresses.Failed) a).reason());
        });
    }

    private CompletionStage<MxResult> exchangers(String domain, List<Record> records) {
        List<MXRecord> mx = new ArrayList<>();
        boolean nullMx = false;
        for (Record r : records) {
            MXRecord m = (MXRecord) r;
            if (m.getTarget().equals(Name.root)) {
                nullMx = true;
            } else {
                mx.add(m);
            }
        }
        // RFC 7505: a "." exchanger means "no mail"; when it is mixed with real ones, use those.
        if (mx.isEmpty()) {
            return done(new MxResult.PermanentFailure("5.1.10",
                    "domain " + domain + " does not accept mail (null MX, RFC 7505)"));
        }
        if (nullMx) {
            mx.removeIf(m -> m.getTarget().equals(Name.root));
        }
        List<MXRecord> ordered = order(mx);
        List<CompletableFuture<Addresses>> lookups = new ArrayList<>();
        for (MXRecord m : ordered) {
            lookups.add(addresses(m.getTarget()).toCompletableFuture());
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<MxHost> hosts = new ArrayList<>();
            List<String> temporary = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < ordered.size(); i++) {
                String host = hostName(ordered.get(i).getTarget());
                Addresses a = lookups.get(i).join();
                if (a instanceof Addresses.Found f) {
                    hosts.add(new MxHost(host, ordered.get(i).getPriority(), f.addresses()));
                } else if (a instanceof Addresses.Failed f) {
                    temporary.add(host + ": " + f.reason());
                } else {
                    missing.add(host + ": " + ((Addresses.Missing) a).reason());
                }
            }
            if (!hosts.isEmpty()) {
                return new MxResult.Resolved(hosts);
            }
            if (!temporary.isEmpty()) {
                return new MxResult.TemporaryFailure("4.4.3",
                        "no address for any MX host of " + domain + ": " + String.join("; ", temporary));
            }
            return new MxResult.PermanentFailure("5.4.4",
                    "no MX host of " + domain + " has an address: " + String.join("; ", missing));
        });
    }

    private List<MXRecord> order(List<MXRecord> mx) {
        TreeMap<Integer, List<MXRecord>> byPreference = new TreeMap<>();
        for (MXRecord m : mx) {
            byPreference.computeIfAbsent(m.getPriority(), p -> new ArrayList<>()).add(m);
        }
        List<MXRecord> out = new ArrayList<>();
        for (List<MXRecord> same : byPreference.values()) {
            Collections.shuffle(same, random != null ? random : ThreadLocalRandom.current());
            for (MXRecord m : same) {
                if (out.stream().noneMatch(o -> o.getTarget().equals(m.getTarget()))) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    private CompletionStage<Addresses> addresses(Name name) {
        CompletableFuture<Lookup> a = query(name, Type.A).toCompletableFuture();
        CompletableFuture<Lookup> aaaa = query(name, Type.AAAA).toCompletableFuture();
        return a.thenCombine(aaaa, (v4, v6) -> {
            List<InetAddress> found = new ArrayList<>();
            for (Lookup l : List.of(v4, v6)) {
                if (l instanceof Lookup.Records r) {
                    for (Record rec : r.records()) {
                        found.add(rec instanceof ARecord ar ? ar.getAddress() : ((AAAARecord) rec).getAddress());
                    }
                }
            }
            if (!found.isEmpty()) {
                return new Addresses.Found(found);
            }
            for (Lookup l : List.of(v4, v6)) {
                if (l instanceof Lookup.TempFail t) {
                    return new Addresses.Failed(t.reason());
                }
            }
            return new Addresses.Missing(v4 instanceof Lookup.NxDomain ? "NXDOMAIN" : "no A/AAAA record");
        });
    }

    /** One query; the resolver follows CNAMEs and turns every failure into a result. */
    private CompletionStage<Lookup> query(Name name, int type) {
        return resolver.query(name, type).thenApply(r -> {
            if (r instanceof DnsResult.Found<Record> f) {
                return (Lookup) new Lookup.Records(f.values());
            }
            if (r instanceof DnsResult.NxDomain) {
                return new Lookup.NxDomain();
            }
            if (r instanceof DnsResult.NoData) {
                return new Lookup.NoData();
            }
            if (r instanceof DnsResult.TempError<Record> t) {
                return new Lookup.TempFail(t.reason());
            }
            return new Lookup.TempFail(((DnsResult.InvalidName<Record>) r).reason());
        });
    }

    private static Name toName(String domain) {
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("empty domain name");
        }
        try {
            String ascii = IDN.toASCII(domain.strip(), IDN.ALLOW_UNASSIGNED);
            return Name.fromString(ascii.endsWith(".") ? ascii : ascii + ".");
        } catch (IllegalArgumentException | TextParseException e) {
            throw new IllegalArgumentException("invalid domain name '" + domain + "': " + e.getMessage());
        }
    }

    private static String hostName(Name name) {
        String s = name.toString(true);
        return s.toLowerCase(Locale.ROOT);
    }

    private static InetAddress ipLiteral(String host) {
        String h = host.startsWith("ipv6:") || host.startsWith("IPv6:") ? host.substring(5) : host;
        boolean v4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = h.contains(":") && h.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(h);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private sealed interface Lookup {
        record Records(List<Record> records) implements Lookup {
        }

        record NoData() implements Lookup {
        }

        record NxDomain() implements Lookup {
        }

        record TempFail(String reason) implements Lookup {
        }
    }

    private sealed interface Addresses {
        record Found(List<InetAddress> addresses) implements Addresses {
        }

        record Missing(String reason) implements Addresses {
        }

        record Failed(String reason) implements Addresses {
        }
    }
}
