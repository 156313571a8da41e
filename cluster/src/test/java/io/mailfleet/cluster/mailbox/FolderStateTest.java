package io.mailfleet.cluster.mailbox;

import io.mailfleet.core.blob.BlobRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The per-folder modseq index behind changesSince and QRESYNC VANISHED. */
class FolderStateTest {

    private static MessageMeta meta(long uid, long modseq, String... flags) {
        return new MessageMeta(uid, new BlobRef("b" + uid, 10, "x"), Instant.EPOCH, Set.of(flags), modseq, null);
    }

    @Test
    void changedAndExpungedSinceFollowFlagUpdatesExpungesAndSnapshots() {
        FolderState f = new FolderState("INBOX", 1, null, true);
        for (long uid = 1; uid <= 5; uid++) {
            f.append(meta(uid, uid));
        }
        assertEquals(List.of(4L, 5L), f.changedSince(3).stream().map(MessageMeta::uid).toList());
        f.replace(meta(2, 6, "\\Seen"));
        f.replace(meta(5, 7, "\\Flagged"));
        assertEquals(List.of(2L, 5L), f.changedSince(5).stream().map(MessageMeta::uid).toList());
        assertEquals(7, f.changedSince(5).get(1).modseq());
        f.remove(3, 8);
        f.remove(1, 9);
        assertEquals(List.of(2L, 4L, 5L), f.changedSince(3).stream().map(MessageMeta::uid).toList());
        assertEquals(List.of(1L, 3L), f.expungedSince(7));
        assertEquals(List.of(1L), f.expungedSince(8));
        assertEquals(List.of(), f.expungedSince(9));
        assertEquals(List.of(), f.changedSince(9));

        FolderState restored = new FolderState("INBOX", 1, null, true);
        f.messages().forEach(restored::append);
        restored.restoreExpunged(Map.copyOf(f.expunged()));
        assertEquals(List.of(1L, 3L), restored.expungedSince(0));
        assertEquals(List.of(5L), restored.changedSince(6).stream().map(MessageMeta::uid).toList());
    }
}
