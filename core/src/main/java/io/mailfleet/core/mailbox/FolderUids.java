package io.mailfleet.core.mailbox;

/**
 * A folder's UID counters after an import asked to keep the source's: its UIDVALIDITY and UIDNEXT,
 * its message count, and whether the source's UIDVALIDITY was taken.
 */
public record FolderUids(long uidValidity, long uidNext, int messages, boolean adopted) {
}
