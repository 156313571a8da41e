/**
 * The extension point of the SMTP dialogue: ordered, asynchronous checks per stage (connect, MAIL FROM,
 * RCPT TO) that accept or refuse with an SMTP reply. Empty today; SPF, greylisting, rate limits and a
 * connect-time screen plug in here without touching the session or its command handlers.
 */
package io.mailfleet.protocols.smtp.check;
