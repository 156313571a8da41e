/** Cluster-wide rate-limit counters: sharded, in-memory {@code RateCounter} entities. */
package io.mailfleet.cluster.ratelimit;
