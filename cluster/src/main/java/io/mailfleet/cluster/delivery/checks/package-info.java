/**
 * Delivery stage: inbound checks, an ordered chain of asynchronous checks between recipient expansion
 * and Sieve (docs/architecture.md, "The path of a message"). Empty today; SPF, DKIM, DMARC, spam,
 * virus and greylisting results plug in here as {@link io.mailfleet.cluster.delivery.checks.InboundCheck}s.
 */
package io.mailfleet.cluster.delivery.checks;
