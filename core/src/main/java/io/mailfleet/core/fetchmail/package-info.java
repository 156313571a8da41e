/** docker-mailserver's {@code fetchmail.cf}: the remote mailboxes to fetch from, as parsed records. */
package io.mailfleet.core.fetchmail;
