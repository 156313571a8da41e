/**
 * Rate limits (Postfix anvil and policy-service equivalents): the limits, the sliding window that
 * counts them and the cluster-wide {@link io.mailfleet.core.ratelimit.RateLimiter} service.
 */
package io.mailfleet.core.ratelimit;
