/** The IMAP4rev1 server (RFC 3501 with IDLE, UIDPLUS, MOVE, NAMESPACE, QUOTA and friends) on Netty. */
package io.mailfleet.protocols.imap;
