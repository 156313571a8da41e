/** MTA-STS for outbound delivery (RFC 8461): policy discovery, the HTTPS fetch and the cache-aware lookup. */
package io.mailfleet.protocols.outbound.sts;
