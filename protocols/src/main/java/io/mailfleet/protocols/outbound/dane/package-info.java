/** DANE for outbound SMTP (RFC 7672, RFC 6698): DNSSEC-validated TLSA look-ups and certificate matching. */
package io.mailfleet.protocols.outbound.dane;
