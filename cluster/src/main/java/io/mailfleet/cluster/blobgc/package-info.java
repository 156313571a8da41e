/**
 * Blob garbage collection: mark every blob id the queue partitions and mailboxes reference, then
 * delete the stored blobs older than a grace period that nothing references.
 */
package io.mailfleet.cluster.blobgc;
