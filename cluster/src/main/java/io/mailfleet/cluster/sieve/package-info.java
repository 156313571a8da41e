/** Per-account Sieve scripts as a sharded, event-sourced entity, and the store the protocols call. */
package io.mailfleet.cluster.sieve;
