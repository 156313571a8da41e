/** DMARC aggregate report rows (RFC 7489) of the whole cluster, in sharded buckets of policy domains. */
package io.mailfleet.cluster.dmarcrpt;
