/**
 * One handler per POP3 command family (CAPA/STLS/USER/PASS, AUTH, the login that locks and opens the
 * maildrop, the TRANSACTION commands, QUIT and UPDATE), each working on the session through
 * {@link io.mailfleet.protocols.pop3.handler.Pop3Context}; {@link io.mailfleet.protocols.pop3.handler.Pop3Commands}
 * dispatches.
 */
package io.mailfleet.protocols.pop3.handler;
