package io.mailfleet.core.auth.dmarc;

import io.mailfleet.core.auth.spf.SpfOutcome;
import io.mailfleet.core.auth.spf.SpfResult;
import io.mailfleet.core.dkim.DkimResult;
import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.dns.DnsResult;

import org.xbill.DNS.Type;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DMARC (RFC 7489) for one message: the From domain, policy discovery at {@code _dmarc.<From domain>}
 * then at its organizational domain, relaxed or strict identifier alignment of the SPF and DKIM
 * results, and the disposition with sp=, np= (RFC 9091) and pct= sampling. At most three DNS questions.
 */
public final class DmarcEvaluator {

    private static final Pattern DOMAIN = Pattern.compile("@([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)");

    private final DnsResolver dns;
    private final PublicSuffixList psl;
    private final IntSupplier percent;

    /** @param percent a uniform draw from 0..99 for pct= sampling */
    public DmarcEvaluator(DnsResolver dns, PublicSuffixList psl, IntSupplier percent) {
        this.dns = dns;
        this.psl = psl;
        this.percent = percent;
    }

    /**
     * Evaluates the message; never completes exceptionally.
     *
     * @param fromFields the values of the message's From fields (all of them)
     * @param spf        the transaction's SPF outcome, or null when SPF was not checked
     * @param dkim       the DKIM results
     */
    public CompletionStage<DmarcResult> evaluate(List<String> fromFields, SpfOutcome spf, List<DkimResult> dkim) {
        if (fromFields.size() != 1) {
            return done(new DmarcResult(DmarcResult.Status.PERMERROR, null, null, DmarcRecord.Policy.NONE,
                    fromFields.isEmpty() ? "no From field" : fromFields.size() + " From fields"));
        }
        Set<String> domains = fromDomains(fromFields.get(0));
        if (domains.size() != 1) {
            return done(new DmarcResult(DmarcResult.Status.PERMERROR, null, null, DmarcRecord.Policy.NONE,
                    domains.isEmpty() ? "no domain in From" : "From has several domains"));
        }
        String from = domains.iterator().next();
        String org = psl.organizationalDomain(from);
        return lookup(from).thenCompose(own -> {
            if (own.temporary) {
                return done(new DmarcResult(DmarcResult.Status.TEMPERROR, from, null, DmarcRecord.Policy.NONE,
                        "policy look-up failed"));
            }
            if (own.record.isPresent()) {
                DmarcRecord r = own.record.get();
                return done(decide(from, from, r, r.p(), spf, dkim));
            }
            if (org.equals(from)) {
                return done(none(from));
            }
            return lookup(org).thenCompose(orgAnswer -> {
                if (orgAnswer.temporary) {
                    return done(new DmarcResult(DmarcResult.Status.TEMPERROR, from, null, DmarcRecord.Policy.NONE,
                            "policy look-up failed"));
                }
                if (orgAnswer.record.isEmpty()) {
                    return done(none(from));
                }
                DmarcRecord r = orgAnswer.record.get();
                DmarcRecord.Policy sub = r.sp() != null ? r.sp() : r.p();
                if (r.np() == null) {
                    return done(decide(from, org, r, sub, spf, dkim));
                }
                // RFC 9091: np= applies when the From domain itself does not exist
                return dns.query(from, Type.A).thenApply(a -> decide(from, org, r,
                        a instanceof DnsResult.NxDomain ? r.np() : sub, spf, dkim));
            });
        });
    }

    private static DmarcResult none(String from) {
        return new DmarcResult(DmarcResult.Status.NONE, from, null, DmarcRecord.Policy.NONE, "no DMARC record");
    }

    /** @param policyDomain where the record was found */
    private DmarcResult decide(String from, String policyDomain, DmarcRecord r, DmarcRecord.Policy policy,
                               SpfOutcome spf, List<DkimResult> dkim) {
        // both alignments are worked out: aggregate reports carry each one, not only the first pass
        String dkimDomain = null;
        for (DkimResult d : dkim) {
            if (d.passed() && d.domain() != null && aligned(d.domain(), from, r.strictDkim())) {
                dkimDomain = d.domain();
                break;
            }
        }
        String spfDomain = null;
        if (spf != null && spf.result() == SpfResult.PASS) {
            String id = spf.identity();
            String domain = spf.heloIdentity() ? id : id.substring(id.lastIndexOf('@') + 1);
            if (!domain.isEmpty() && aligned(domain, from, r.strictSpf())) {
                spfDomain = domain.toLowerCase(Locale.ROOT);
            }
        }
        boolean dkimOk = dkimDomain != null;
        boolean spfOk = spfDomain != null;
        if (dkimOk) {
            return new DmarcResult(DmarcResult.Status.PASS, from, policy, DmarcRecord.Policy.NONE,
                    "DKIM aligned (" + dkimDomain + ")", policyDomain, true, spfOk);
        }
        if (spfOk) {
            return new DmarcResult(DmarcResult.Status.PASS, from, policy, DmarcRecord.Policy.NONE,
                    "SPF aligned (" + spfDomain + ")", policyDomain, false, true);
        }
        DmarcRecord.Policy applied = policy;
        if (r.pct() < 100 && percent.getAsInt() >= r.pct()) {
            // section 6.6.4: outside the sample the next less strict policy applies
            applied = policy == DmarcRecord.Policy.REJECT ? DmarcRecord.Policy.QUARANTINE : DmarcRecord.Policy.NONE;
        }
        return new DmarcResult(DmarcResult.Status.FAIL, from, policy, applied, "no aligned SPF or DKIM pass",
                policyDomain, false, false);
    }

    private boolean aligned(String id, String from, boolean strict) {
        String a = id.toLowerCase(Locale.ROOT);
        String b = from.toLowerCase(Locale.ROOT);
        return strict ? a.equals(b) : psl.organizationalDomain(a).equals(psl.organizationalDomain(b));
    }

    /** The distinct domains of the addresses in a From value (comments and quoted display names skipped). */
    static Set<String> fromDomains(String value) {
        StringBuilder plain = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"' && depth == 0) {
                quoted = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                plain.append(c);
            }
        }
        Set<String> out = new LinkedHashSet<>();
        Matcher m = DOMAIN.matcher(plain);
        while (m.find()) {
            out.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private record Answer(Optional<DmarcRecord> record, boolean temporary) {
    }

    /** The one DMARC record at {@code _dmarc.<domain>}; several records count as none (section 6.6.3). */
    private CompletionStage<Answer> lookup(String domain) {
        return dns.txt("_dmarc." + domain).thenApply(r -> {
            if (r instanceof DnsResult.TempError) {
                return new Answer(Optional.empty(), true);
            }
            List<DmarcRecord> records = r.valuesOrEmpty().stream().map(DmarcRecord::parse)
                    .flatMap(Optional::stream).toList();
            return new Answer(records.size() == 1 ? Optional.of(records.get(0)) : Optional.empty(), false);
        });
    }

    private static CompletionStage<DmarcResult> done(DmarcResult r) {
        return CompletableFuture.completedFuture(r);
    }
}
