/**
 * DNS block lists as Postfix's postscreen weighs them: the {@code postscreen_dnsbl_sites} syntax
 * ({@link DnsblSites}), reply filters ({@link ReplyFilter}), the query names of a client address
 * ({@link DnsblNames}) and the asynchronous, parallel scoring of a client ({@link DnsblEvaluator}).
 */
package io.mailfleet.core.dnsbl;
