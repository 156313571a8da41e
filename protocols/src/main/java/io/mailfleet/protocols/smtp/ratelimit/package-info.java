/**
 * Cluster-wide SMTP rate limits as stage checks (Postfix anvil's connection, message and recipient
 * rates per client, and per-user message and recipient budgets for authenticated senders).
 */
package io.mailfleet.protocols.smtp.ratelimit;
