package io.mailfleet.protocols.outbound.dane;

import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.dns.DnsResult;
import io.mailfleet.core.dns.DnssecStatus;
import io.mailfleet.core.dns.ValidatedAnswer;
import io.mailfleet.core.tlsrpt.TlsResultType;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The DNSSEC look-ups of RFC 7672 §2.2 through the node's resolver in its validating mode: the MX
 * RRset of the domain (insecure: no DANE; bogus: defer), then per host the address records (insecure:
 * no DANE for the host; bogus: host unusable) and the TLSA RRset at {@code _<port>._tcp.<host>}.
 * The hosts are those the MX resolution found; with a secure MX RRset, a host missing from it is
 * not trusted (an unvalidated answer must not bring in a host of its own).
 */
public final class DaneResolver {

    private final DnsResolver dns;

    public DaneResolver(DnsResolver dns) {
        this.dns = dns;
    }

    /**
     * @param domain   the recipient domain, or null for a relay nexthop ({@code [host]}, no MX look-up)
     * @param hosts    the host names to be tried, in order
     * @param port     the SMTP port (25 for MX delivery)
     */
    public CompletionStage<DanePlan> plan(String domain, List<String> hosts, int port) {
        if (!dns.validates()) {
            return CompletableFuture.completedFuture(new DanePlan.Insecure("DNSSEC validation is off"));
        }
        if (domain == null) {
            return hosts(hosts, null, port);
        }
        Name name;
        try {
            name = name(domain);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new DanePlan.Insecure(e.getMessage()));
        }
        return dns.validated(name, Type.MX).thenCompose(mx -> {
            if (mx.bogus()) {
                return done(new DanePlan.Failed("4.7.5", "the MX records of " + domain
                        + " failed DNSSEC validation: " + mx.reason(), TlsResultType.DNSSEC_INVALID));
            }
            if (mx.result() instanceof DnsResult.TempError<Record> t) {
                return done(new DanePlan.Failed("4.4.3", "DNSSEC-validated MX look-up for " + domain + " failed: "
                        + t.reason(), TlsResultType.VALIDATION_FAILURE));
            }
            if (mx.status() != DnssecStatus.SECURE) {
                return done(new DanePlan.Insecure("the MX records of " + domain + " are not DNSSEC-signed"));
            }
            Set<String> securelyListed = new HashSet<>();
            for (Record r : mx.result().valuesOrEmpty()) {
                securelyListed.add(DnsResolver.hostName(((MXRecord) r).getTarget()));
            }
            if (securelyListed.isEmpty()) {
                // A secure denial of MX records: the domain itself is the implicit MX.
                securelyListed.add(domain.toLowerCase(Locale.ROOT));
            }
            return hosts(hosts, securelyListed, port);
        });
    }

    private CompletionStage<DanePlan> hosts(List<String> hosts, Set<String> securelyListed, int port) {
        Map<String, CompletableFuture<DaneHost>> each = new LinkedHashMap<>();
        for (String h : hosts) {
            String host = h.toLowerCase(Locale.ROOT);
            if (securelyListed != null && !securelyListed.contains(host)) {
                each.put(host, CompletableFuture.completedFuture(new DaneHost.Unusable(host
                        + " is not in the DNSSEC-validated MX records " + securelyListed, TlsResultType.DNSSEC_INVALID)));
            } else {
                each.putIfAbsent(host, host(host, port).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(each.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, DaneHost> out = new LinkedHashMap<>();
            each.forEach((h, f) -> out.put(h, f.join()));
            return new DanePlan.Hosts(out);
        });
    }

    /** One host: its address records decide whether its TLSA records are looked up (RFC 7672 §2.2.2). */
    private CompletionStage<DaneHost> host(String host, int port) {
        Name name;
        Name tlsaName;
        try {
            name = name(host);
            tlsaName = name("_" + port + "._tcp." + host);
        } catch (IllegalArgumentException e) {
            return done(new DaneHost.Insecure(e.getMessage()));
        }
        return dns.validated(name, Type.A).thenCompose(a -> {
            if (a.result() instanceof DnsResult.Found<Record> || a.bogus()) {
                return done(a);
            }
            return dns.validated(name, Type.AAAA).thenApply(aaaa -> aaaa.result() instanceof DnsResult.Found<Record>
                    || aaaa.bogus() || !(a.result() instanceof DnsResult.TempError<Record>) ? aaaa : a);
        }).thenCompose(address -> {
            if (address.bogus()) {
                return done(new DaneHost.Unusable("the address records of " + host + " failed DNSSEC validation: "
                        + address.reason(), TlsResultType.DNSSEC_INVALID));
            }
            if (address.result() instanceof DnsResult.TempError<Record> e) {
                return done(new DaneHost.Unusable("DNSSEC-validated address look-up for " + host + " failed: "
                        + e.reason(), TlsResultType.VALIDATION_FAILURE));
            }
            if (address.status() != DnssecStatus.SECURE) {
                return done(new DaneHost.Insecure("the address records of " + host + " are not DNSSEC-signed"));
            }
            return dns.validated(tlsaName, Type.TLSA).thenApply(t -> tlsa(host, tlsaName, t));
        });
    }

    private static DaneHost tlsa(String host, Name tlsaName, ValidatedAnswer t) {
        if (t.bogus()) {
            return new DaneHost.Unusable("the TLSA records " + tlsaName + " failed DNSSEC validation: " + t.reason(),
                    TlsResultType.DNSSEC_INVALID);
        }
        if (t.result() instanceof DnsResult.TempError<Record> e) {
            // RFC 7672 §2.2: a failed TLSA look-up must not become "no TLSA records".
            return new DaneHost.Unusable("TLSA look-up " + tlsaName + " failed: " + e.reason(),
                    TlsResultType.VALIDATION_FAILURE);
        }
        if (t.status() != DnssecStatus.SECURE) {
            return new DaneHost.Insecure("the TLSA records of " + host + " are not DNSSEC-signed");
        }
        List<Tlsa> all = new ArrayList<>();
        for (Record r : t.result().valuesOrEmpty()) {
            all.add(Tlsa.of((TLSARecord) r));
        }
        if (all.isEmpty()) {
            return new DaneHost.Insecure(host + " has no TLSA records");
        }
        List<Tlsa> usable = all.stream().filter(Tlsa::usable).toList();
        return usable.isEmpty() ? new DaneHost.EncryptOnly(all) : new DaneHost.Authenticated(usable, all);
    }

    private static Name name(String host) {
        try {
            String ascii = java.net.IDN.toASCII(host.strip(), java.net.IDN.ALLOW_UNASSIGNED);
            return Name.fromString(ascii.endsWith(".") ? ascii : ascii + ".");
        } catch (IllegalArgumentException | TextParseException e) {
            throw new IllegalArgumentException("invalid host name '" + host + "': " + e.getMessage());
        }
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
