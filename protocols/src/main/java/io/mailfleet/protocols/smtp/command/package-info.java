/**
 * SMTP commands as typed requests and the parser that builds them from a command line. Pure: no
 * session state, no I/O; what a request may carry depends only on the listener's settings (which
 * ESMTP extensions it offers).
 */
package io.mailfleet.protocols.smtp.command;
