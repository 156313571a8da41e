/** Delivery stage: the recipient's Sieve chain decides where a local target is stored, what is redirected and answered. */
package io.mailfleet.cluster.delivery.sieve;
