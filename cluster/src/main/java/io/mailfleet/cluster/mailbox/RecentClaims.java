package io.mailfleet.cluster.mailbox;

import org.apache.pekko.actor.typed.javadsl.ActorContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * \\Recent handed out to sessions but not yet written. {@link #claim} gives \\Recent away at once and
 * the claim is written within {@link #FLUSH_DELAY} (or before the entity stops), in one event per
 * folder. A SELECT or an IDLE wake-up then costs no journal write of its own. Commands are handled
 * one at a time, so no second session can claim the same messages meanwhile; only a crash inside the
 * delay forgets the claim, and the messages are then reported \\Recent once more, which RFC 3501
 * clients tolerate (the flag is advisory and gone from IMAP4rev2).
 */
final class RecentClaims {

    /** How long a \\Recent claim may stay unwritten. */
    static final Duration FLUSH_DELAY = Duration.ofSeconds(5);

    private final ActorContext<MailboxEntity.Command> context;
    /** Folder to highest uid claimed as \\Recent but not yet written to the journal. */
    private final Map<String, Long> pending = new HashMap<>();
    private boolean flushScheduled;

    RecentClaims(ActorContext<MailboxEntity.Command> context) {
        this.context = context;
    }

    /** Claims \\Recent up to {@code uid} of {@code f} for the asking session. */
    void claim(FolderState f, long uid) {
        f.raiseRecentBoundary(uid);
        pending.merge(f.name(), uid, Math::max);
        if (!flushScheduled) {
            flushScheduled = true;
            context.scheduleOnce(FLUSH_DELAY, context.getSelf(), new MailboxEntity.FlushClaims());
        }
    }

    /** The scheduled flush is due ({@link MailboxEntity.FlushClaims}): the claims to write now. */
    List<MailboxEntity.Event> flushDue() {
        flushScheduled = false;
        return take();
    }

    /** The pending claims as events (and forgets them). */
    List<MailboxEntity.Event> take() {
        List<MailboxEntity.Event> events = new ArrayList<>();
        pending.forEach((folder, uid) -> events.add(new MailboxEntity.RecentClaimed(folder, uid)));
        pending.clear();
        return events;
    }
}
