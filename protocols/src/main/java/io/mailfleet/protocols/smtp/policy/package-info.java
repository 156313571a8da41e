/** Sender and recipient policy at MAIL and RCPT (relay, unknown users, quota, restrictions, spoofing). */
package io.mailfleet.protocols.smtp.policy;
