package io.mailfleet.persistence.blob;

import java.util.Map;
import java.util.TreeMap;

/**
 * The in-memory view of one segment file: how far it is durable, how many blob bytes that extent
 * holds and which blob ranges were deleted. Callers that also touch the segment's side files hold
 * this object's monitor so a reclaim cannot interleave with them.
 */
final class Segment {

    enum Tombstone { ADDED, ALREADY_DELETED, OVERLAPS }

    private final long id;
    private final boolean provisional;
    private long committedEnd;
    private long payloadBytes;
    private final TreeMap<Long, Long> tombstones = new TreeMap<>();
    private long tombstonedBytes;
    private boolean reclaimed;

    Segment(long id, long committedEnd, long payloadBytes) {
        this(id, committedEnd, payloadBytes, false);
    }

    /**
     * @param provisional the segment is being written by another node of a shared store: its extent
     *                    is only a lower bound (the file size when last looked at) and its payload is
     *                    unknown, so it is never reclaimed from here and counts no live bytes
     */
    Segment(long id, long committedEnd, long payloadBytes, boolean provisional) {
        this.id = id;
        this.committedEnd = committedEnd;
        this.payloadBytes = payloadBytes;
        this.provisional = provisional;
    }

    boolean provisional() {
        return provisional;
    }

    long id() {
        return id;
    }

    synchronized long committedEnd() {
        return committedEnd;
    }

    synchronized void committed(long end, long addedPayload) {
        committedEnd = end;
        payloadBytes += addedPayload;
    }

    synchronized long payloadBytes() {
        return payloadBytes;
    }

    /** True when the range is durable, not deleted and the segment still exists. */
    synchronized boolean holds(long offset, long size) {
        return !reclaimed && size > 0 && offset >= 0 && offset <= committedEnd - size && overlap(offset, size) == null;
    }

    synchronized Tombstone tombstone(long offset, long size) {
        Map.Entry<Long, Long> existing = overlap(offset, size);
        if (existing != null) {
            return existing.getKey() == offset && existing.getValue() == size
                    ? Tombstone.ALREADY_DELETED : Tombstone.OVERLAPS;
        }
        if (reclaimed || size <= 0 || offset < 0 || offset > committedEnd - size) {
            return Tombstone.OVERLAPS;
        }
        tombstones.put(offset, size);
        tombstonedBytes += size;
        return Tombstone.ADDED;
    }

    synchronized long liveBytes() {
        return reclaimed || provisional ? 0 : payloadBytes - tombstonedBytes;
    }

    synchronized boolean reclaimable() {
        return !reclaimed && !provisional && tombstonedBytes >= payloadBytes;
    }

    synchronized boolean markReclaimed() {
        if (reclaimed) {
            return false;
        }
        reclaimed = true;
        return true;
    }

    private Map.Entry<Long, Long> overlap(long offset, long size) {
        Map.Entry<Long, Long> before = tombstones.floorEntry(offset + Math.max(size, 1) - 1);
        return before != null && before.getKey() + before.getValue() > offset ? before : null;
    }
}
