/**
 * Input framing shared by the text protocols (SMTP, IMAP, POP3, ManageSieve): lines with a length
 * limit, counted literals and raw stretches cut from one accumulated buffer.
 */
package io.mailfleet.protocols.framing;
