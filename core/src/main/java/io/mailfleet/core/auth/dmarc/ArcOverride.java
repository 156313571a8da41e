package io.mailfleet.core.auth.dmarc;

import io.mailfleet.core.dkim.ArcResult;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The local policy override of RFC 7489 §6.7 / RFC 8617 §7.2 for forwarded and list mail: a message that
 * fails DMARC is not rejected or quarantined when its ARC chain passes and the newest set sealed by a
 * configured trusted sealer recorded that the message authenticated when that sealer received it
 * ({@code dmarc=pass}, {@code spf=pass} or {@code dkim=pass} in its ARC-Authentication-Results).
 */
public final class ArcOverride {

    private static final Pattern PASSED = Pattern.compile("(?:^|;)\\s*(?:dmarc|spf|dkim)\\s*=\\s*pass(?![a-z0-9-])",
            Pattern.CASE_INSENSITIVE);

    private final Set<String> trustedSealers;

    /** @param trustedSealers sealing domains (ARC-Seal d=) whose chains are trusted, any case */
    public ArcOverride(java.util.Collection<String> trustedSealers) {
        this.trustedSealers = trustedSealers.stream().map(s -> s.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** True when no sealer is trusted (no override ever happens). */
    public boolean isEmpty() {
        return trustedSealers.isEmpty();
    }

    /** The trusted sealer whose chain overrides {@code dmarc}'s failure, if one does. */
    public Optional<String> overridingSealer(DmarcResult dmarc, ArcResult arc) {
        if (dmarc == null || arc == null || dmarc.status() != DmarcResult.Status.FAIL
                || arc.status() != ArcResult.Status.PASS) {
            return Optional.empty();
        }
        return arc.newestSealedBy(trustedSealers)
                .filter(set -> PASSED.matcher(withoutComments(set.results())).find())
                .map(ArcResult.ArcSet::sealer);
    }

    /** RFC 8601 comments removed, so "(dkim=pass in a comment)" does not count. */
    private static String withoutComments(String s) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && depth > 0) {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                b.append(c);
            }
        }
        return b.toString();
    }
}
