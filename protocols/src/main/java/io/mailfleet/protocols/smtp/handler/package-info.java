/**
 * One handler per SMTP command family (greeting, HELO/EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA/BDAT,
 * the rest), each working on the session through {@link io.mailfleet.protocols.smtp.handler.SmtpContext}.
 * MAIL and RCPT run the stage's {@link io.mailfleet.protocols.smtp.check.SmtpChecks} after the built-in
 * rules: that is where new sender and recipient checks plug in.
 */
package io.mailfleet.protocols.smtp.handler;
