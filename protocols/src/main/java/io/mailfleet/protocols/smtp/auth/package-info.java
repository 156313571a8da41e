/**
 * Inbound mail authentication at the end of DATA: DKIM verification over the streamed message and the
 * {@code Authentication-Results:} field (RFC 8601) that carries it and the transaction's SPF result.
 */
package io.mailfleet.protocols.smtp.auth;
