/** The mailbox store interface the IMAP and POP3 sessions call, with its immutable records. */
package io.mailfleet.core.mailbox;
