package io.mailfleet.cluster.queue;

import io.mailfleet.core.blob.BlobRef;

import java.util.List;

/**
 * What Sieve decided for one local target, persisted before any of it happens so a retry after a
 * crash repeats the same decision instead of running the scripts again.
 *
 * @param blob   the bytes to store (the accepted message, or a copy with the header block edited)
 * @param stores the folders to store into with their IMAP flags (empty: nothing is stored)
 * @param note   why, for the delivery log (script error that caused the fall back to keep, or "")
 */
public record SievePlan(BlobRef blob, List<Store> stores, String note) {
    public SievePlan {
        stores = List.copyOf(stores);
        note = note == null ? "" : note;
    }

    /** One folder and the flags the message gets there. */
    public record Store(String folder, List<String> flags) {
        public Store {
            flags = List.copyOf(flags);
        }
    }

    /** Plain delivery to INBOX without flags. */
    public static SievePlan inbox(BlobRef blob) {
        return new SievePlan(blob, List.of(new Store("INBOX", List.of())), "");
    }
}
