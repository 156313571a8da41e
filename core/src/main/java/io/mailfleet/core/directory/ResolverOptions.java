package io.mailfleet.core.directory;

/**
 * Settings for {@link RecipientResolver}.
 *
 * @param recipientDelimiter characters that each start a subaddress detail (Postfix
 *                           {@code recipient_delimiter}); empty disables subaddressing
 * @param postmasterAddress  where {@code root} and {@code postmaster} go when they have no explicit
 *                           alias; {@code null} disables that rule
 * @param maxDepth           alias nesting limit; deeper expansions are reported as a loop
 */
public record ResolverOptions(String recipientDelimiter, String postmasterAddress, int maxDepth) {

    public static final String DEFAULT_DELIMITER = "+";
    public static final int DEFAULT_MAX_DEPTH = 20;

    public ResolverOptions {
        recipientDelimiter = recipientDelimiter == null ? "" : recipientDelimiter;
        if (postmasterAddress != null && postmasterAddress.isBlank()) {
            postmasterAddress = null;
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1, got " + maxDepth);
        }
    }

    /** Delimiter {@code +}, no postmaster address, depth 20. */
    public static ResolverOptions defaults() {
        return new ResolverOptions(DEFAULT_DELIMITER, null, DEFAULT_MAX_DEPTH);
    }

    public ResolverOptions withPostmaster(String address) {
        return new ResolverOptions(recipientDelimiter, address, maxDepth);
    }

    public ResolverOptions withDelimiter(String delimiter) {
        return new ResolverOptions(delimiter, postmasterAddress, maxDepth);
    }
}
