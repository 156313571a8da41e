/**
 * docker-mailserver's {@code fetchmail.cf} and {@code getmail-*.cf} files: the remote mailboxes to fetch
 * from, as parsed records.
 */
package io.mailfleet.core.fetchmail;
