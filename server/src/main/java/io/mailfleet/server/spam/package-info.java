/**
 * Learning from users: the learners (built-in classifier, Rspamd) and the mailbox decorator that turns
 * IMAP moves into and out of Junk into learn calls, plus bulk training from a folder.
 */
package io.mailfleet.server.spam;
