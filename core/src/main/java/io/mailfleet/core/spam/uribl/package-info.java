/**
 * DNS block lists for the links in a message body, as SpamAssassin's URIDNSBL and Rspamd's {@code rbl}
 * module with {@code urls}/{@code emails} checks: the hosts of links, bare domains and e-mail addresses
 * in the decoded text and HTML parts ({@link io.mailfleet.core.spam.uribl.MessageLinks}), reduced to
 * registrable domains with the Public Suffix List, asked of the configured zones through the node's
 * resolver ({@link io.mailfleet.core.spam.uribl.UriblEvaluator}), answers mapped to scorer symbols by
 * reply filter or bit mask ({@link io.mailfleet.core.spam.uribl.UriblEntry}).
 */
package io.mailfleet.core.spam.uribl;
