package io.mailfleet.core.auth.spf;

import java.util.Objects;

/**
 * The answer of one SPF check.
 *
 * @param result      the RFC 7208 result
 * @param explanation for {@link SpfResult#FAIL} the domain's explanation (exp=) or the default one; else null
 * @param reason      why, for logs and header comments (the matching term, or the error)
 */
public record SpfVerdict(SpfResult result, String explanation, String reason) {

    public SpfVerdict {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(reason, "reason");
    }
}
