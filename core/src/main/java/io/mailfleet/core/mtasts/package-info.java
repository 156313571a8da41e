/** MTA-STS (RFC 8461): the {@code _mta-sts} TXT record, the policy file and the cluster-wide policy cache contract. */
package io.mailfleet.core.mtasts;
