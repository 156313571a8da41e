/** POP3 (RFC 1939, 2449, 2595, 5034) on 110 with STLS and 995 with implicit TLS. */
package io.mailfleet.protocols.pop3;
