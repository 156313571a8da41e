/** TLS-RPT counts (RFC 8460) of the whole cluster, in sharded buckets of policy domains. */
package io.mailfleet.cluster.tlsrpt;
