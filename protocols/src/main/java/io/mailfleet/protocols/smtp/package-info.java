/** The SMTP front-end: MX (25), submission (587) and submissions (465) into the blob store and the queue. */
package io.mailfleet.protocols.smtp;
