/**
 * fetchmail: one sharded entity per remote mailbox of {@code fetchmail.cf} that polls it on its own
 * timer, remembers the remote ids it has queued and backs off after failures; the mail client itself
 * ({@link io.mailfleet.cluster.fetchmail.RemoteMailPoller}) is the server's.
 */
package io.mailfleet.cluster.fetchmail;
