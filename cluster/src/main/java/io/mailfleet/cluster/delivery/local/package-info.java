/** Delivery stage: storing a local target into its mailbox, once per folder Sieve chose. */
package io.mailfleet.cluster.delivery.local;
