package io.mailfleet.cluster.delivery.expansion;

import io.mailfleet.cluster.queue.DeliveryTarget;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.queue.TargetStatus;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.directory.LocalTarget;
import io.mailfleet.core.directory.RecipientResolver;
import io.mailfleet.core.directory.Resolution;
import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * First delivery stage: fixes a message's targets from the directory as it is at acceptance (aliases,
 * catch-all, subaddress, SRS bounces), so a retry delivers to exactly the same places even if aliases
 * change meanwhile. Pure: the directory view is passed in.
 */
public final class RecipientExpansion {

    private final ResolverOptions options;
    private final UnaryOperator<String> unwrapSrs;

    /**
     * @param unwrapSrs maps one of our SRS forward addresses to the original sender (identity otherwise)
     */
    public RecipientExpansion(ResolverOptions options, UnaryOperator<String> unwrapSrs) {
        this.options = options;
        this.unwrapSrs = unwrapSrs;
    }

    /** The message with one target per final destination and the initial status of each. */
    public QueuedMessage expand(String queueId, Envelope env, BlobRef blob, DirectoryView view) {
        List<DeliveryTarget> targets = new ArrayList<>();
        Map<Integer, TargetStatus> status = new HashMap<>();
        Set<String> seenLocal = new HashSet<>();
        for (EnvelopeRecipient r : env.recipients()) {
            // A bounce to one of our SRS forward addresses goes on to the original sender.
            String address = unwrapSrs.apply(r.address());
            Resolution res = RecipientResolver.resolve(view, address, options);
            if (res.foreignDomain()) {
                add(targets, status, new DeliveryTarget(r.address(), DeliveryTarget.Kind.REMOTE, address, null),
                        TargetStatus.pending("awaiting outbound delivery"));
                continue;
            }
            if (res.loopDetected() || res.unknown()) {
                add(targets, status, new DeliveryTarget(r.address(), DeliveryTarget.Kind.UNDELIVERABLE, r.address(), null),
                        new TargetStatus(TargetStatus.State.FAILED,
                                res.loopDetected() ? "mail forwarding loop" : "user unknown", Instant.now()));
                continue;
            }
            for (LocalTarget t : res.localAccounts()) {
                // Postfix delivers one copy per final mailbox, however many recipients lead to it.
                if (seenLocal.add(t.account())) {
                    add(targets, status, new DeliveryTarget(r.address(), DeliveryTarget.Kind.LOCAL, t.account(), t.detail()),
                            TargetStatus.pending("queued for mailbox"));
                }
            }
            for (String remote : res.remoteAddresses()) {
                add(targets, status, new DeliveryTarget(r.address(), DeliveryTarget.Kind.REMOTE, remote, null),
                        TargetStatus.pending("awaiting outbound delivery"));
            }
            for (String bad : res.undeliverable()) {
                add(targets, status, new DeliveryTarget(r.address(), DeliveryTarget.Kind.UNDELIVERABLE, bad, null),
                        new TargetStatus(TargetStatus.State.FAILED, "user unknown", Instant.now()));
            }
            if (res.discard()) {
                add(targets, status, new DeliveryTarget(r.address(), DeliveryTarget.Kind.DISCARD, "devnull", null),
                        new TargetStatus(TargetStatus.State.DISCARDED, "discarded by alias", Instant.now()));
            }
        }
        return new QueuedMessage(queueId, env, blob, targets, status);
    }

    private static void add(List<DeliveryTarget> targets, Map<Integer, TargetStatus> status, DeliveryTarget t,
                            TargetStatus s) {
        status.put(targets.size(), s);
        targets.add(t);
    }
}
