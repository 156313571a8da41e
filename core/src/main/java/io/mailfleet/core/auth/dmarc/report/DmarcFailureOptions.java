package io.mailfleet.core.auth.dmarc.report;

import io.mailfleet.core.auth.dmarc.DmarcResult;
import io.mailfleet.core.auth.results.AuthenticationResults;
import io.mailfleet.core.auth.spf.SpfResult;
import io.mailfleet.core.dkim.DkimResult;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a DMARC record asks of failure reports (RFC 7489 sections 6.3 and 7.3): the {@code ruf=}
 * destinations, the {@code fo=} options ({@code 0}: every mechanism failed to give an aligned pass, the
 * default; {@code 1}: any mechanism did; {@code d}: a DKIM signature failed to verify, aligned or not;
 * {@code s}: SPF failed, aligned or not) and whether {@code rf=} allows AFRF (RFC 6591), the only format
 * there is.
 *
 * @param ruf     the {@code mailto:} destinations of {@code ruf=}
 * @param options the {@code fo=} options, lower case ({@code 0} when the tag is absent or says nothing known)
 * @param afrf    {@code rf=} is absent or names {@code afrf}
 */
public record DmarcFailureOptions(List<DmarcRua> ruf, Set<String> options, boolean afrf) {

    private static final Set<String> KNOWN = Set.of("0", "1", "d", "s");

    public DmarcFailureOptions {
        ruf = List.copyOf(ruf);
        options = Set.copyOf(options);
    }

    /** The options of a DMARC record's text. */
    public static DmarcFailureOptions parse(String record) {
        Set<String> fo = new TreeSet<>();
        String foValue = tag(record, "fo");
        if (foValue != null) {
            for (String o : foValue.split(":")) {
                String v = o.strip().toLowerCase(Locale.ROOT);
                if (KNOWN.contains(v)) {
                    fo.add(v);
                }
            }
        }
        if (fo.isEmpty()) {
            fo.add("0");
        }
        String rf = tag(record, "rf");
        boolean afrf = rf == null;
        if (rf != null) {
            for (String f : rf.split(":")) {
                afrf |= f.strip().equalsIgnoreCase("afrf");
            }
        }
        return new DmarcFailureOptions(DmarcRua.parse(record, "ruf"), fo, afrf);
    }

    /** Whether the record asks for a report about a message with these results (one of its fo= options holds). */
    public boolean wants(AuthenticationResults r) {
        return (options.contains("0") && failedEntirely(r)) || (options.contains("1") && notFullyAligned(r))
                || (options.contains("d") && dkimFailed(r)) || (options.contains("s") && spfFailed(r));
    }

    /** Whether any fo= option could ask for a report about these results: false for a fully aligned pass. */
    public static boolean anyFailure(AuthenticationResults r) {
        return r.dmarc() != null && r.dmarc().policyDomain() != null
                && (notFullyAligned(r) || dkimFailed(r) || spfFailed(r));
    }

    /** fo=0: DMARC failed: no mechanism gave an aligned pass. */
    static boolean failedEntirely(AuthenticationResults r) {
        return r.dmarc().status() == DmarcResult.Status.FAIL;
    }

    /** fo=1: some mechanism did not give an aligned pass. */
    static boolean notFullyAligned(AuthenticationResults r) {
        return !r.dmarc().dkimAligned() || !r.dmarc().spfAligned();
    }

    /** fo=d: a DKIM signature failed to verify (fail, or a broken signature or key: permerror). */
    public static boolean dkimFailed(AuthenticationResults r) {
        return r.dkim().stream().anyMatch(d -> d.status() == DkimResult.Status.FAIL
                || d.status() == DkimResult.Status.PERMERROR);
    }

    /** fo=s: SPF failed. */
    public static boolean spfFailed(AuthenticationResults r) {
        return r.spf() != null && r.spf().result() == SpfResult.FAIL;
    }

    /** The value of a record's tag, or null. */
    private static String tag(String record, String name) {
        for (String field : record.split(";")) {
            int eq = field.indexOf('=');
            if (eq > 0 && field.substring(0, eq).strip().equalsIgnoreCase(name)) {
                return field.substring(eq + 1).strip();
            }
        }
        return null;
    }
}
