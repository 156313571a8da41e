/** The cluster-wide MTA-STS policy cache (Distributed Data): every node enforces the same policy. */
package io.mailfleet.cluster.mtasts;
