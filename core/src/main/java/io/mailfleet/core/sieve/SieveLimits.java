package io.mailfleet.core.sieve;

import java.time.Duration;

/**
 * Resource limits for compiling and running scripts; exceeding a run-time limit raises
 * {@link SieveRuntimeException} (the message then gets implicit keep).
 *
 * @param maxScriptSize   bytes of script source (UTF-8)
 * @param maxNesting      depth of blocks and nested tests
 * @param maxActions      actions one message may collect over the whole chain
 * @param maxRedirects    redirect actions per message
 * @param maxIncludeDepth nesting of include
 * @param maxIncludes     scripts included per run
 * @param maxSteps        evaluation steps (commands, tests, regex character reads) per run
 * @param maxRunTime      wall-clock budget per run
 * @param maxVariableSize characters kept in one variable
 */
public record SieveLimits(int maxScriptSize, int maxNesting, int maxActions, int maxRedirects, int maxIncludeDepth,
                          int maxIncludes, long maxSteps, Duration maxRunTime, int maxVariableSize) {

    /** Pigeonhole-like defaults: 1 MiB scripts, 32 levels, 32 actions, 4 redirects, include depth 10. */
    public static SieveLimits defaults() {
        return new SieveLimits(1 << 20, 32, 32, 4, 10, 255, 2_000_000, Duration.ofSeconds(10), 4096);
    }

    public SieveLimits withMaxRedirects(int n) {
        return new SieveLimits(maxScriptSize, maxNesting, maxActions, n, maxIncludeDepth, maxIncludes, maxSteps,
                maxRunTime, maxVariableSize);
    }

    public SieveLimits withMaxSteps(long n) {
        return new SieveLimits(maxScriptSize, maxNesting, maxActions, maxRedirects, maxIncludeDepth, maxIncludes, n,
                maxRunTime, maxVariableSize);
    }

    public SieveLimits withMaxActions(int n) {
        return new SieveLimits(maxScriptSize, maxNesting, n, maxRedirects, maxIncludeDepth, maxIncludes, maxSteps,
                maxRunTime, maxVariableSize);
    }

    public SieveLimits withMaxIncludeDepth(int n) {
        return new SieveLimits(maxScriptSize, maxNesting, maxActions, maxRedirects, n, maxIncludes, maxSteps,
                maxRunTime, maxVariableSize);
    }
}
