/** Outbound SMTP transport: MX resolution, relay selection and the delivering SMTP client. */
package io.mailfleet.protocols.outbound;
