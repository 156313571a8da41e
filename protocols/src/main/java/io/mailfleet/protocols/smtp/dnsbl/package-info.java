/**
 * Postscreen's DNSBL test on port 25: the client address is scored against weighted DNS block lists at
 * connect time ({@link io.mailfleet.protocols.smtp.dnsbl.DnsblCheck}), and a client at the threshold is
 * refused as {@code POSTSCREEN_ACTION} says.
 */
package io.mailfleet.protocols.smtp.dnsbl;
